"""Derive which municipalities border which from the boundary polygons.

The boundaries were simplified topologically, so two municipalities that share a border
share identical edges: a segment (pair of consecutive vertices) that occurs in both
polygons is a common border. Municipalities that only touch at a single point, or are
separated by sea, are not neighbours.
"""

from collections import defaultdict
from itertools import combinations, pairwise


def _rings(geometry):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def derive_neighbours(feature_collection) -> set[tuple[str, str]]:
    """Pairs (a, b) with a < b of municipality numbers that share a border segment."""
    owners: dict[tuple, set[str]] = defaultdict(set)
    for feature in feature_collection["features"]:
        number = feature["properties"]["kommunenummer"]
        for ring in _rings(feature["geometry"]):
            for p, q in pairwise(ring):
                a, b = (round(p[0], 5), round(p[1], 5)), (round(q[0], 5), round(q[1], 5))
                if a != b:
                    owners[(a, b) if a < b else (b, a)].add(number)
    pairs: set[tuple[str, str]] = set()
    for numbers in owners.values():
        if len(numbers) > 1:
            pairs.update(combinations(sorted(numbers), 2))
    return pairs
