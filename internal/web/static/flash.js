// After a saved form the page shows a confirmation at the top and comes
// back to the part of the page the form was in (the URL's #anchor). A
// live region is not read out when a page loads with it filled, so the
// text is also put into an empty one a moment later; and focus goes back
// to the form's part of the page, where the person was.
(function () {
  var flash = document.querySelector('[data-testid=flash]');
  if (!flash) return;
  var live = document.createElement('p');
  live.className = 'visually-hidden';
  live.setAttribute('role', 'status');
  document.body.appendChild(live);
  setTimeout(function () { live.textContent = flash.textContent; }, 250);
  var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target) {
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: false });
  }
})();
