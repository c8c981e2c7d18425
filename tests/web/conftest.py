"""The pages' security tests use the same world as the API's: a store with a public and a
private map and users of every role (modules that define their own ``store`` or ``client``
fixture keep theirs)."""

from api.conftest import client, store, tokens  # noqa: F401 (re-exported fixtures)
