"""The chapter "flow-statistics"'s analysis in one namespace, for its notebook and the claim register.

- `series`: the counts (the May -> June change, "lowest since", the Mexican trend, nationalities,
  CHNV parole and CBP One, the long run, releases); independent of the chapter's parameters;
- `overview`: the chapter's parameters checked, and the encounters they select;
- `readings`: what the chapter states, and the checks of the readings its prose depends on;
- `measurements`: what the chapter hands the claim register.
"""

from migration_report.chapters.flow_statistics.series import *  # noqa: F401,F403
from migration_report.chapters.flow_statistics.overview import *  # noqa: F401,F403
from migration_report.chapters.flow_statistics.readings import *  # noqa: F401,F403
from migration_report.chapters.flow_statistics.measurements import *  # noqa: F401,F403
