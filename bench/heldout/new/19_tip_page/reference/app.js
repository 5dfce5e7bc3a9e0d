(function () {
  const $ = (id) => document.getElementById(id);
  const money = (cents) => "$" + (cents / 100).toFixed(2);

  function calculate() {
    const billText = $("bill").value.trim();
    const bill = Number(billText);
    const people = Number($("people").value);
    const pct = Number($("tip").value);
    if (billText === "" || !isFinite(bill) || bill < 0 || !Number.isInteger(people) || people < 1) {
      $("error").textContent = "Please enter a valid bill and number of people.";
      $("tip-amount").textContent = "";
      $("total").textContent = "";
      $("per-person").textContent = "";
      return;
    }
    const billCents = Math.round(bill * 100);
    const tipCents = Math.round(billCents * pct / 100);
    const totalCents = billCents + tipCents;
    const perCents = Math.ceil(totalCents / people);
    $("error").textContent = "";
    $("tip-amount").textContent = money(tipCents);
    $("total").textContent = money(totalCents);
    $("per-person").textContent = money(perCents);
  }

  $("calculate").addEventListener("click", calculate);
})();
