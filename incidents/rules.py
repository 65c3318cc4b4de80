"""The incidents app's rules, as ``rules`` autodiscovery finds them (it imports
``<app>.rules``): each feature package keeps its predicates and permissions in its own
``rules`` module and this one imports them. Code imports a predicate from its feature
package, not from here."""

from incidents.lessons import rules as lessons_rules  # noqa: F401
from incidents.log import rules as log_rules  # noqa: F401
