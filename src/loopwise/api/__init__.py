"""The JSON API: one router per resource, typed response models, errors as JSON.

Routers read the store and the bundle cache from ``request.app.state`` (see
:func:`loopwise.web.app.create_app`, which includes them), so each module here is a plain
:class:`fastapi.APIRouter`.
"""
