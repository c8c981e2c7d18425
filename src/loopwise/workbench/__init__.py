"""The evidence workbench: documents stored with their map, and the review queue of
suggested claims, over the store's public interface.

A service above :mod:`loopwise.store` (which it uses only through :class:`~loopwise.store.Store`'s
transactions and :meth:`~loopwise.store.Store.write_revision`) and :mod:`loopwise.evidence`
(which reads documents and finds claims, and knows nothing of storage).
"""

from loopwise.workbench.documents import (
    StoredDocument,
    document_text,
    find_document,
    ingest_document,
    ingest_file,
    list_documents,
)
from loopwise.workbench.suggestions import (
    StoredSuggestion,
    SuggestionConflictError,
    accept_suggestion,
    edit_suggestion,
    get_suggestion,
    list_suggestions,
    reject_suggestion,
    save_suggestions,
)

__all__ = [
    "StoredDocument",
    "StoredSuggestion",
    "SuggestionConflictError",
    "accept_suggestion",
    "document_text",
    "edit_suggestion",
    "find_document",
    "get_suggestion",
    "ingest_document",
    "ingest_file",
    "list_documents",
    "list_suggestions",
    "reject_suggestion",
    "save_suggestions",
]
