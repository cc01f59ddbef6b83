"""Load or clear a clearly labelled demo set of sites generated along the real streets.

The demo set is deterministic: the same seed on the same geodata gives the same rows, codes
and coordinates. Every demo site has ``is_demo=True``, a ``DEMO-nnnn`` code and a note saying
it is not real data. ``load_demo`` never touches a database that already holds demo sites
(it returns 0); to regenerate, ``clear_demo`` first.

``generator`` proposes sites along the real geodata, ``finalise`` gives them statuses, dates,
units and codes, and ``loading`` writes or clears the set in one transaction. Clearing
deletes demo history only: the database refuses to delete a real site's events.
"""

from kehoach.services.demo.finalise import DEMO_CODE_PREFIX
from kehoach.services.demo.loading import clear_demo, load_demo

__all__ = ["DEMO_CODE_PREFIX", "clear_demo", "load_demo"]
