from . import normalize
from . import validation
