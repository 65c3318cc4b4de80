/* Trend charts on the picture's trend page: one Chart.js line chart per key field, drawn
   from the page's JSON data block (#trend-data) — the same figures as the table beside
   each chart. Yours: a solid line with round markers; the region: a dashed line with
   square markers, so the lines differ without colour. No inline script or style. */
(function () {
  "use strict";

  function number(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function colour(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function init() {
    var block = document.getElementById("trend-data");
    var holder = document.getElementById("trend-charts");
    if (!block || !holder || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(block.textContent);
    var ownColour = colour("--ds-color-accent-base-default", "#0062ba");
    var regionColour = colour("--ds-color-neutral-text-default", "#1e2b3c");
    var locale = document.documentElement.lang || "nb";
    data.fields.forEach(function (field) {
      var canvas = document.getElementById("trend-chart-" + field.key);
      if (!canvas) {
        return;
      }
      var labels = field.points.map(function (p) { return p.label; });
      var datasets = [];
      if (data.municipality) {
        datasets.push({
          label: holder.dataset.ownLabel,
          data: field.points.map(function (p) { return number(p.own); }),
          borderColor: ownColour,
          backgroundColor: ownColour,
          pointStyle: "circle",
          pointRadius: 4,
          borderWidth: 2,
          spanGaps: true
        });
      }
      datasets.push({
        label: holder.dataset.regionLabel,
        data: field.points.map(function (p) { return number(p.region); }),
        borderColor: regionColour,
        backgroundColor: regionColour,
        borderDash: [6, 4],
        pointStyle: "rect",
        pointRadius: 4,
        borderWidth: 2,
        spanGaps: true
      });
      new Chart(canvas, {
        type: "line",
        data: { labels: labels, datasets: datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          locale: locale,
          plugins: { legend: { labels: { usePointStyle: true } } },
          scales: { y: { beginAtZero: true } }
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
