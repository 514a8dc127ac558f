from . import normalize
from . import validation
from . import lookup
from . import email_parsing
from . import formatting
from . import upload
from . import portal
from . import sql
