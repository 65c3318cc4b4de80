/* The reporting maps (dashboard, published picture, national view): Leaflet drawing the
   bundled municipality GeoJSON without tiles, each municipality coloured by a category
   given in the page (a JSON data block, not a script). Colours come from the legend's
   swatches (CSS classes), so map and legend always agree; the legend and the table
   beside the map carry the same information in text. No inline script, CSP-safe. */
(function () {
  "use strict";

  function legendColours(element) {
    var colours = {};
    var legend = document.getElementById(element.dataset.legend);
    if (!legend) {
      return colours;
    }
    legend.querySelectorAll("[data-category]").forEach(function (item) {
      var swatch = item.querySelector(".swatch");
      if (swatch) {
        colours[item.dataset.category] = getComputedStyle(swatch).backgroundColor;
      }
    });
    return colours;
  }

  function tooltip(text) {
    var box = document.createElement("div");
    var parts = text.split(": ");
    var strong = document.createElement("strong");
    strong.textContent = parts.shift();
    box.appendChild(strong);
    if (parts.length) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(parts.join(": ")));
    }
    return box;
  }

  function init() {
    var element = document.getElementById("status-map");
    if (!element || typeof L === "undefined" || element.dataset.ready) {
      return;
    }
    var source = document.getElementById(element.dataset.source);
    if (!source) {
      return;
    }
    element.dataset.ready = "1";
    var data = JSON.parse(source.textContent);
    var colours = legendColours(element);
    var only = element.dataset.only === "1";

    var map = L.map(element, {
      zoomSnap: 0.25,
      minZoom: 3,
      maxZoom: 11,
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

    var baseStyle = { color: "#ffffff", weight: 0.6, opacity: 1, fillOpacity: 0.9 };

    fetch(element.dataset.geojsonUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (geojson) {
        var layer = L.geoJSON(geojson, {
          attribution: element.dataset.attribution,
          filter: function (feature) {
            var number = feature.id || feature.properties.kommunenummer;
            return !only || Object.prototype.hasOwnProperty.call(data, number);
          },
          style: function (feature) {
            var number = feature.id || feature.properties.kommunenummer;
            var entry = data[number];
            var fill = entry ? colours[entry.category] || "#888888" : "#e3e6ea";
            return Object.assign({}, baseStyle, { fillColor: fill });
          },
          onEachFeature: function (feature, featureLayer) {
            var number = feature.id || feature.properties.kommunenummer;
            var entry = data[number];
            var label = entry ? entry.label : feature.properties.label || feature.properties.name;
            featureLayer.bindTooltip(tooltip(label), { sticky: true });
            featureLayer.on({
              click: function () {
                var entry = data[number];
                if (entry && entry.url) {
                  window.location.href = entry.url;
                }
              },
              mouseover: function () {
                featureLayer.setStyle({ weight: 2.5, color: "#1e2b3c" });
                featureLayer.bringToFront();
              },
              mouseout: function () {
                layer.resetStyle(featureLayer);
              },
            });
          },
        }).addTo(map);
        if (layer.getLayers().length) {
          map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        }
        element.dataset.drawn = String(layer.getLayers().length);
        // A live page (static/js/live.js) replaced the data block: recolour in place,
        // keeping the zoom and position.
        document.addEventListener("samvirke:live-updated", function () {
          var fresh = document.getElementById(element.dataset.source);
          if (!fresh) {
            return;
          }
          data = JSON.parse(fresh.textContent);
          layer.eachLayer(function (featureLayer) {
            var feature = featureLayer.feature;
            var number = feature.id || feature.properties.kommunenummer;
            var entry = data[number];
            var label = entry ? entry.label : feature.properties.label || feature.properties.name;
            featureLayer.setTooltipContent(tooltip(label));
          });
          layer.resetStyle();
          element.dataset.version = String((parseInt(element.dataset.version || "0", 10) || 0) + 1);
        });
      })
      .catch(function () {
        element.classList.add("map--failed");
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  document.addEventListener("htmx:afterSettle", init);
})();
