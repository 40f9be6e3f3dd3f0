from . import test_documents
