(function () {
  const KEY = "water-tracker";
  const $ = (id) => document.getElementById(id);

  function today() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  let state = { date: today(), count: 0, goal: 8 };
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) || "null");
    if (saved && typeof saved === "object") {
      if (Number.isInteger(saved.goal) && saved.goal >= 1 && saved.goal <= 20) state.goal = saved.goal;
      if (saved.date === today() && Number.isInteger(saved.count) && saved.count >= 0) state.count = saved.count;
    }
  } catch (e) { /* ignore broken data */ }

  function save() {
    state.date = today();
    localStorage.setItem(KEY, JSON.stringify(state));
  }

  function render() {
    $("count").textContent = state.count;
    $("goal-text").textContent = state.count + " / " + state.goal + " glasses";
    $("message").textContent = state.count >= state.goal ? "Goal reached! 💧" : "";
    $("goal").value = state.goal;
  }

  function change(fn) { fn(); save(); render(); }

  $("add").addEventListener("click", () => change(() => { state.count += 1; }));
  $("remove").addEventListener("click", () => change(() => { state.count = Math.max(0, state.count - 1); }));
  $("reset").addEventListener("click", () => change(() => { state.count = 0; }));
  $("set-goal").addEventListener("click", () => {
    const raw = $("goal").value.trim();
    const g = Number(raw);
    if (raw !== "" && Number.isInteger(g) && g >= 1 && g <= 20) {
      change(() => { state.goal = g; });
    } else {
      render();
    }
  });

  render();
})();
