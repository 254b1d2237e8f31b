/* Suggestions while typing in the dataset search: fills the <datalist> an input names in
   its list attribute from the JSON endpoint in data-suggest-url ({"suggestions": [...]}).
   Without this file the search works the same, only without suggestions; it has no text. */
(function () {
  "use strict";
  if (!window.fetch) { return; }
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null, asked = "", pending = null;
    function fill(suggestions) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      suggestions.forEach(function (text) {
        var option = document.createElement("option");
        option.value = text;
        list.appendChild(option);
      });
    }
    function ask() {
      var text = input.value.trim().replace(/\s+/g, " ");
      if (text === asked) { return; }
      asked = text;
      if (pending) { pending.abort(); }
      if (text.length < 2) { fill([]); return; }
      pending = new AbortController();
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text),
            { headers: { Accept: "application/json" }, signal: pending.signal })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (answer) { if (answer.q === asked) { fill(answer.suggestions || []); } })
        .catch(function () { /* aborted or offline: keep the list as it is */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
  });
})();
