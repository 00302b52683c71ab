// Settings: a header checkbox ticks or clears every row checkbox of its table (no inline script: CSP).
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  const table = all.closest("table");
  table.querySelectorAll('tbody input[type="checkbox"]').forEach((box) => { box.checked = all.checked; });
});
