const LB_PER_KG = 2.20462262185;
const kg = document.getElementById("kg");
const lb = document.getElementById("lb");

function fmt(x) {
  return String(Math.round(x * 100) / 100);
}

kg.addEventListener("input", () => {
  const v = parseFloat(kg.value);
  lb.value = isNaN(v) ? "" : fmt(v * LB_PER_KG);
});

lb.addEventListener("input", () => {
  const v = parseFloat(lb.value);
  kg.value = isNaN(v) ? "" : fmt(v / LB_PER_KG);
});
