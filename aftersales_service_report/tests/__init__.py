from . import test_documents
from . import test_exports
from . import test_service_documents
from . import test_document_pdfs
from . import test_daily_report_wizard
from . import test_chinese_documents
from . import test_work_figures
from . import test_expiry_notice_download
