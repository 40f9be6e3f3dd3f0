from . import aftersales_contract
from . import report_documents
