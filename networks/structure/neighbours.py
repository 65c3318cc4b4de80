"""Derive which municipalities border which from the boundary polygons: by a shared
land border (:func:`derive_neighbours`) and across water (:func:`derive_near_pairs`).

The boundaries were simplified topologically, so two municipalities that share a border
share identical edges: a segment (pair of consecutive vertices) that occurs in both
polygons is a common border. Municipalities that only touch at a single point, or are
separated by sea, are not neighbours.
"""

import math
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


#: Boundaries closer than this across water make two municipalities neighbours. Chosen
#: from the bundled simplified boundaries: at 1 000 m Bergen and Askøy (1 027 m apart
#: across Byfjorden in the simplified data; Askøybrua joins them) are not found, at
#: 1 500 m they are; larger distances start pairing municipalities across open fjords
#: that have no link (docs/decisions/0014-neighbours-across-water.md).
WATER_DISTANCE_M = 1500

_EARTH_RADIUS_M = 6_371_008.8


def _project(point):
    """Longitude/latitude to metres on a local equirectangular plane: accurate to well
    under 1 % over the few kilometres compared here."""
    lon, lat = math.radians(point[0]), math.radians(point[1])
    return (lon * _EARTH_RADIUS_M * math.cos(lat), lat * _EARTH_RADIUS_M)


def _segment_distance(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = (
        0.0
        if length2 == 0
        else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    )
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def derive_near_pairs(feature_collection, max_distance_m=WATER_DISTANCE_M) -> dict:
    """Pairs (a, b) with a < b of municipality numbers whose boundaries come within
    ``max_distance_m`` of each other, with the shortest distance found (metres).

    Plain Python, no GIS library (shapely is not a dependency): every boundary segment is
    put into the cells of a square grid (cell side ``max_distance_m``) its bounding box
    covers, and every vertex is measured against the segments of other municipalities in
    its own and the eight surrounding cells. The shortest distance between two polylines
    that do not cross is always from a vertex of one to a segment of the other, so this
    finds every pair within the distance. About 2 s for the 357 municipalities."""
    cell = float(max_distance_m)
    cells: dict[tuple[int, int], list] = defaultdict(list)
    vertices: list[tuple[str, tuple[float, float]]] = []
    for feature in feature_collection["features"]:
        number = feature["properties"]["kommunenummer"]
        for ring in _rings(feature["geometry"]):
            points = [_project(p) for p in ring]
            for a, b in pairwise(points):
                x0, x1 = sorted((a[0], b[0]))
                y0, y1 = sorted((a[1], b[1]))
                for i in range(int(x0 // cell), int(x1 // cell) + 1):
                    for j in range(int(y0 // cell), int(y1 // cell) + 1):
                        cells[(i, j)].append((number, a, b))
            vertices.extend((number, p) for p in points)
    best: dict[tuple[str, str], float] = {}
    for number, p in vertices:
        ci, cj = int(p[0] // cell), int(p[1] // cell)
        for i in (ci - 1, ci, ci + 1):
            for j in (cj - 1, cj, cj + 1):
                for other, a, b in cells.get((i, j), ()):
                    if other == number:
                        continue
                    key = (number, other) if number < other else (other, number)
                    if best.get(key) == 0:
                        continue
                    distance = _segment_distance(p, a, b)
                    if distance <= max_distance_m and distance < best.get(key, math.inf):
                        best[key] = distance
    return best
