/* The municipality map: Leaflet drawing the bundled GeoJSON, no tile layer.
   Configuration comes from data-* attributes on #map; colours from the legend's swatches
   (CSS classes), so map and legend always agree. No inline script, CSP-safe. */
(function () {
  "use strict";

  function officeColours() {
    var colours = {};
    var names = {};
    document.querySelectorAll("[data-office]").forEach(function (item) {
      var swatch = item.querySelector(".swatch");
      colours[item.dataset.office] = swatch ? getComputedStyle(swatch).backgroundColor : "#888";
      names[item.dataset.office] = item.dataset.officeName;
    });
    return { colours: colours, names: names };
  }

  function tooltip(label, office) {
    var box = document.createElement("div");
    var strong = document.createElement("strong");
    strong.textContent = label;
    box.appendChild(strong);
    if (office) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(office));
    }
    return box;
  }

  function init() {
    var element = document.getElementById("map");
    if (!element || typeof L === "undefined" || element.dataset.ready) {
      return;
    }
    element.dataset.ready = "1";
    var legend = officeColours();
    var urlTemplate = element.dataset.municipalityUrl;

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

    var baseStyle = { color: "#ffffff", weight: 0.6, opacity: 1, fillOpacity: 0.85 };

    fetch(element.dataset.geojsonUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          attribution: element.dataset.attribution,
          style: function (feature) {
            var office = feature.properties.statsforvalter;
            return Object.assign({}, baseStyle, { fillColor: legend.colours[office] || "#888888" });
          },
          onEachFeature: function (feature, featureLayer) {
            var props = feature.properties;
            var number = feature.id || props.kommunenummer;
            featureLayer.bindTooltip(tooltip(props.label || props.name, legend.names[props.statsforvalter]), {
              sticky: true,
            });
            featureLayer.on({
              click: function () {
                window.location.href = urlTemplate.replace("0000", number);
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
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        return fetch(element.dataset.regionsUrl, { credentials: "same-origin" });
      })
      .then(function (response) { return response.json(); })
      .then(function (regions) {
        L.geoJSON(regions, {
          interactive: false,
          style: { color: "#1e2b3c", weight: 1.5, opacity: 0.9, fill: false },
        }).addTo(map);
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
