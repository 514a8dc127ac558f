from . import prm_kit_line
from . import product_template
from . import stock_lot
from . import stock_picking
from . import stock_move
from . import stock_move_line
from . import prm_installation
from . import res_partner
