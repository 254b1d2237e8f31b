/* Shows a GeoJSON preview with Leaflet (served by us). Tiles only when configured.
   Texts come translated from the page (data-zoom-in, data-zoom-out); this file has none. */
(function () {
  "use strict";
  document.querySelectorAll("[data-geojson-map]").forEach(function (element) {
    var data = document.getElementById(element.dataset.geojsonMap);
    if (!data || typeof L === "undefined") { return; }
    var map = L.map(element, { attributionControl: true, zoomControl: false, scrollWheelZoom: false });
    var zoom = {};
    if (element.dataset.zoomIn) { zoom.zoomInTitle = element.dataset.zoomIn; }
    if (element.dataset.zoomOut) { zoom.zoomOutTitle = element.dataset.zoomOut; }
    L.control.zoom(zoom).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    }
    var layer = L.geoJSON(JSON.parse(data.textContent), {
      pointToLayer: function (feature, latlng) {
        var colour = (feature.properties || {}).colour || "#00577a";
        return L.circleMarker(latlng, { radius: 6, color: colour, weight: 2 });
      },
      style: function (feature) {
        var colour = (feature && feature.properties || {}).colour || "#00577a";
        return { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.35 };
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties || {};
        var name = p.label || p.name || p.Name || p.bezeichnung || p.id;
        if (name !== undefined) { layer.bindTooltip(String(name)); }
      }
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); } else { map.setView([50.927, 11.586], 12); }
  });
})();
