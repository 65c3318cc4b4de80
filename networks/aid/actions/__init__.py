"""Every write to requests for assistance, offers and joint procurements, one module
each: :mod:`.requests`, :mod:`.offers`, :mod:`.procurement` (:mod:`.common` holds what
they share). Views, the API and the demo loader call these; callers import from the
module that defines an action.

Who acts for whom (the predicates are in :mod:`networks.aid.rules`):

* a municipality's emergency managers and crisis staff act for it (request, offer,
  accept, decline, withdraw, close, join a procurement, lead one);
* a State Administrator office's officers act for the office: they offer, and redirect a
  request of their region to more organisations ("go in line").
"""
