"""The web interface: a JSON API and HTML pages over the store."""
