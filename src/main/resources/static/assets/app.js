// The pages' behaviour: CSRF header for htmx, no double submits, charts from the JSON beside each chart.
(function () {
  'use strict';

  document.addEventListener('htmx:configRequest', function (event) {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      event.detail.headers[header.content] = token.content;
    }
  });

  // A second click while the form is on its way sends nothing (the form's Idempotency-Key covers the rest).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.dataset.submitted === 'true') {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = 'true';
    form.querySelectorAll('button[type="submit"]').forEach(function (button) { button.setAttribute('aria-disabled', 'true'); });
  });

  // A refused partial update says so where its answer would have gone, instead of nothing happening.
  document.addEventListener('htmx:responseError', function (event) {
    var target = event.detail.target;
    var message = document.querySelector('meta[name="htmx-error"]');
    if (target) {
      var alert = document.createElement('p');
      alert.className = 'alert error';
      alert.setAttribute('role', 'alert');
      alert.textContent = message ? message.content : 'Error';
      target.replaceChildren(alert);
    }
  });

  var charts = [];

  function render(root) {
    (root || document).querySelectorAll('[data-chart]').forEach(function (element) {
      if (element.dataset.rendered === 'true' || typeof echarts === 'undefined') {
        return;
      }
      var source = document.getElementById(element.dataset.chart);
      if (!source) {
        return;
      }
      var option = JSON.parse(source.textContent);
      var chart = echarts.init(element, null, { renderer: 'svg' });
      option.aria = { enabled: true };
      option.animation = false;
      if (option.series && option.series.length && option.series[0].type === 'graph') {
        processMap(element, chart, option);
      } else {
        chart.setOption(option);
      }
      element.dataset.rendered = 'true';
      charts.push(chart);
    });
  }

  // Process map: the slider hides paths taken fewer times than its value, as process-mining tools do.
  function processMap(element, chart, option) {
    var slider = document.getElementById(element.dataset.slider);
    var all = option.series[0].links;
    function draw() {
      var minimum = slider ? Number(slider.value) : 0;
      var links = all.filter(function (link) { return link.value >= minimum; });
      var used = {};
      links.forEach(function (link) { used[link.source] = true; used[link.target] = true; });
      var copy = JSON.parse(JSON.stringify(option));
      copy.series[0].links = links;
      copy.series[0].data = option.series[0].data.filter(function (node) { return used[node.name]; });
      chart.setOption(copy, true);
      if (slider) {
        var output = document.getElementById(slider.id + '-value');
        if (output) { output.textContent = String(minimum); }
        document.querySelectorAll('[data-edge-count]').forEach(function (row) {
          row.hidden = Number(row.dataset.edgeCount) < minimum;
        });
      }
    }
    if (slider) { slider.addEventListener('input', draw); }
    draw();
  }

  document.addEventListener('DOMContentLoaded', function () { render(document); });
  document.addEventListener('htmx:afterSettle', function (event) { render(event.target); });
  window.addEventListener('resize', function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
