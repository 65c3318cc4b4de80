"""Every URL pattern of the portal, by name, found by walking the resolver."""

from django.urls import URLPattern, URLResolver, get_resolver


def iter_routes(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from iter_routes(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            full = f"{namespace}:{name}" if namespace and name else name
            yield full, prefix + str(entry.pattern)


def route_names():
    return {name for name, _ in iter_routes()}


def routes_without_name():
    return sorted(route for name, route in iter_routes() if not name)
