/* The resource map: Leaflet drawing the bundled municipality GeoJSON (no tile layer) and
   one marker per resource found, at its coordinates or its municipality's label point.
   The markers come from a JSON data block in the page (not a script); their colours from
   the legend's swatches (CSS classes), so map and legend agree. The table below the map
   carries the same information. No inline script, CSP-safe; redrawn after an HTMX swap. */
(function () {
  "use strict";

  function colours() {
    var result = {};
    document.querySelectorAll(".marker-swatch").forEach(function (swatch) {
      var match = swatch.className.match(/marker-swatch--(\w+)/);
      if (match) {
        result[match[1]] = getComputedStyle(swatch).backgroundColor;
      }
    });
    return result;
  }

  function popup(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    box.appendChild(link);
    [point.quantity, point.category, point.owner + " · " + point.place, point.availability_label].forEach(
      function (text) {
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(text));
      }
    );
    return box;
  }

  function init() {
    var element = document.getElementById("resource-map");
    if (!element || typeof L === "undefined" || element.dataset.ready) {
      return;
    }
    var source = document.getElementById(element.dataset.source);
    if (!source) {
      return;
    }
    element.dataset.ready = "1";
    var points = JSON.parse(source.textContent);
    var palette = colours();

    var map = L.map(element, {
      zoomSnap: 0.25,
      minZoom: 3,
      maxZoom: 13,
      attributionControl: true,
      zoomControl: false,
    });
    L.control
      .zoom({
        zoomInTitle: element.dataset.zoomIn || "Zoom in",
        zoomOutTitle: element.dataset.zoomOut || "Zoom out",
      })
      .addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.fitBounds([[57.8, 4.5], [71.3, 31.2]]);

    var markers = L.featureGroup();
    points.forEach(function (point) {
      L.circleMarker([point.lat, point.lon], {
        radius: point.exact ? 7 : 6,
        color: "#1e2b3c",
        weight: 1,
        fillColor: palette[point.availability] || "#888888",
        fillOpacity: 0.9,
      })
        .bindPopup(popup(point))
        .bindTooltip(point.name + " (" + point.place + ")")
        .addTo(markers);
    });

    fetch(element.dataset.geojsonUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        L.geoJSON(data, {
          attribution: element.dataset.attribution,
          interactive: false,
          style: { color: "#ffffff", weight: 0.6, opacity: 1, fillColor: "#c9d3dd", fillOpacity: 0.9 },
        }).addTo(map);
        markers.addTo(map);
        if (points.length) {
          map.fitBounds(markers.getBounds(), { padding: [24, 24], maxZoom: 9 });
        }
      })
      .catch(function () {
        element.classList.add("map--failed");
        markers.addTo(map);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  document.addEventListener("htmx:afterSettle", init);
})();
