"""The networks app's action rules, as ``rules`` autodiscovery finds them (it imports
``<app>.rules``): each feature package keeps its predicates and permissions in its own
``rules`` module and this one imports them (so does ``NetworksConfig.ready``). Code
imports a predicate from its feature package, not from here."""

from networks.aid import rules as aid_rules  # noqa: F401
from networks.information import rules as information_rules  # noqa: F401
from networks.library import rules as library_rules  # noqa: F401
from networks.meetings import rules as meetings_rules  # noqa: F401
from networks.resources import rules as resources_rules  # noqa: F401
from networks.structure import rules as structure_rules  # noqa: F401
