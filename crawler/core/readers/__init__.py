"""One reader per binary document type; each turns bytes into ``Extracted`` (see ``documents.py``)."""
