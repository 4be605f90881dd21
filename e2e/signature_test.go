package e2e

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"kundportal/internal/docs"
)

// The technician's scripts (tekniker.js, tekniker-sw.js, signature_pad) are
// tested here against a stand-in for the technician's work-order page: a
// page with the forms the real one has by contract, served with the site's
// security headers, and the scripts read from internal/web/static as the
// binary embeds them. The stand-in records what the browser posts, so the
// tests check what the server would receive. Run them with
//
//	KUNDPORTAL_REQUIRE_BROWSER=1 go test ./e2e/ -run "Signature|OfflineQueue"

// staticDir is the site's static files, relative to this directory.
var staticDir = filepath.Join("..", "internal", "web", "static")

// sitePolicy is the site's content security policy (internal/web/server.go):
// no inline script or style, no eval.
const sitePolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// received is one form post the stand-in got.
type received struct {
	Path, ClientID, Outcome, SignerName, Signature, Description string
}

// techPage is the stand-in server.
type techPage struct {
	srv  *httptest.Server
	down atomic.Bool // the server is unreachable: every connection is dropped

	mu    sync.Mutex
	posts []received
	seen  map[string]bool
	ids   []string // the client_ids of the forms, in order, of the last page served
}

func newTechPage(t *testing.T) *techPage {
	t.Helper()
	p := &techPage{seen: map[string]bool{}}
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServer(http.Dir(staticDir))))
	mux.HandleFunc("GET /tekniker/sw.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFile(w, r, filepath.Join(staticDir, "tekniker-sw.js"))
	})
	mux.HandleFunc("GET /tekniker/arbetsorder/{id}", p.show)
	mux.HandleFunc("GET /logga-in", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="sv"><title>Logga in</title><main><h1>Logga in</h1></main></html>`)
	})
	mux.HandleFunc("POST /tekniker/arbetsorder/{id}/{what}", p.post)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.down.Load() {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", sitePolicy)
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Content-Type-Options", "nosniff")
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// workOrderPage has the sign form exactly as the contract gives it (the
// error element left out: tekniker.js makes one) and one other offline
// form. The canvas's width and height attributes are the no-CSS size,
// which tekniker.js replaces.
var workOrderPage = template.Must(template.New("wo").Parse(`<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Arbetsorder {{.ID}} – Kundportal</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="stylesheet" href="/static/tekniker.css">
<script src="/static/vendor/signature_pad/signature_pad.umd.min.js" defer></script>
<script src="/static/tekniker.js" defer></script>
</head>
<body>
<main id="main" class="wrap">
{{if .Flash}}<p class="flash" role="status" data-testid="flash">{{.Flash}}</p>{{end}}
<h1>Arbetsorder {{.ID}}</h1>
<form method="post" action="/tekniker/arbetsorder/{{.ID}}/atgard" data-offline class="card">
  <input type="hidden" name="client_id" value="{{index .IDs 0}}">
  <label for="desc">Vad gjordes</label>
  <textarea id="desc" name="description" rows="2"></textarea>
  <button type="submit" class="primary" data-testid="action-submit">Spara åtgärd</button>
</form>
<form method="post" action="/tekniker/arbetsorder/{{.ID}}/signera" data-signature-form data-offline enctype="multipart/form-data" class="card">
  <input type="hidden" name="client_id" value="{{index .IDs 1}}">
  <label for="outcome">Hur slutade besöket?</label>
  <select id="outcome" name="outcome">
    <option value="signed">Kunden skriver under</option>
    <option value="refused">Kunden kunde inte skriva under</option>
  </select>
  <label for="signer_name">Kundens namn</label>
  <input id="signer_name" type="text" name="signer_name">
  <canvas data-signature-pad class="js-only" width="600" height="240" role="img" aria-label="Ruta för kundens namnteckning"></canvas>
  <button type="button" class="secondary js-only" data-signature-clear>Sudda</button>
  <input type="hidden" name="signature">
  <div data-signature-fallback>
    <label for="paper">Foto av underskriven följesedel</label>
    <input id="paper" type="file" name="paper" accept="image/*" capture>
  </div>
  <button type="submit" class="primary" data-testid="sign-submit">Signera</button>
</form>
</main>
</body>
</html>`))

func (p *techPage) show(w http.ResponseWriter, r *http.Request) {
	ids := []string{clientID(), clientID()}
	p.mu.Lock()
	p.ids = ids
	p.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	workOrderPage.Execute(w, struct {
		ID, Flash string
		IDs       []string
	}{r.PathValue("id"), r.URL.Query().Get("flash"), ids})
}

// post records the form and answers as the real handlers do: a form seen
// before is a no-op that redirects like the first; a description "fel" is
// invalid (422), and "utloggad" meets a lapsed session.
func (p *techPage) post(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	got := received{
		Path:        r.URL.Path,
		ClientID:    r.FormValue("client_id"),
		Outcome:     r.FormValue("outcome"),
		SignerName:  r.FormValue("signer_name"),
		Signature:   r.FormValue("signature"),
		Description: r.FormValue("description"),
	}
	switch got.Description {
	case "fel":
		http.Error(w, "Beskriv vad som gjordes.", http.StatusUnprocessableEntity)
		return
	case "utloggad": // the session has lapsed
		http.Redirect(w, r, "/logga-in", http.StatusSeeOther)
		return
	}
	p.mu.Lock()
	if !p.seen[got.ClientID] {
		p.seen[got.ClientID] = true
		p.posts = append(p.posts, got)
	}
	p.mu.Unlock()
	http.Redirect(w, r, "/tekniker/arbetsorder/"+r.PathValue("id")+"?flash=Sparat.", http.StatusSeeOther)
}

func (p *techPage) received() []received {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.posts)
}

func (p *techPage) pageIDs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.ids)
}

func clientID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// techBrowser is a phone with a screen of two device pixels per CSS pixel
// (so that a pad sized without devicePixelRatio would show), pointed at p.
func techBrowser(t *testing.T, p *techPage) *Browser {
	t.Helper()
	if _, err := os.Stat(filepath.Join(staticDir, "tekniker.js")); err != nil {
		t.Fatal(err)
	}
	b := NewBrowserAt(t, Phone)
	b.base = p.srv.URL // the harness's helpers, on the stand-in instead of the demo site
	b.do(t, "emulate a phone at 2 dppx", chromedp.EmulateViewport(int64(Phone.Width), int64(Phone.Height),
		chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	return b
}

// waitFor waits until the JavaScript expression is true.
func waitFor(t *testing.T, b *Browser, what, expr string) {
	t.Helper()
	b.do(t, "wait for "+what, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond)))
}

// box is an element's place on the page in CSS pixels.
type box struct{ X, Y, W, H float64 }

// pad scrolls the signature pad into view and returns its box, and the size
// of its bitmap.
func pad(t *testing.T, b *Browser) (box, [2]int) {
	t.Helper()
	b.do(t, "find the pad", chromedp.WaitVisible(chromedp.CSS("canvas[data-signature-pad]")))
	r := Eval[box](t, b, `(() => {
		const c = document.querySelector('canvas[data-signature-pad]');
		c.scrollIntoView({block: 'center'});
		const r = c.getBoundingClientRect();
		return {X: r.left, Y: r.top, W: r.width, H: r.height};
	})()`)
	size := Eval[[2]int](t, b, `(c => [c.width, c.height])(document.querySelector('canvas[data-signature-pad]'))`)
	return r, size
}

// draw moves a pressed mouse over the pad in steps from (x0, y0) to (x1, y1),
// in CSS pixels from the pad's top left. The pauses outlast the library's
// 16 ms throttle, so that each step is a point, as a finger's are.
func draw(t *testing.T, b *Browser, r box, x0, y0, x1, y1 float64, steps int) {
	t.Helper()
	at := func(i int) (float64, float64) {
		f := float64(i) / float64(steps)
		return r.X + x0 + f*(x1-x0), r.Y + y0 + f*(y1-y0)
	}
	pressed := func(p *input.DispatchMouseEventParams) { p.Button = input.MouseButtonLeft; p.Buttons = 1 }
	x, y := at(0)
	acts := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, x, y, pressed, chromedp.ClickCount(1))}
	for i := 1; i <= steps; i++ {
		x, y = at(i)
		acts = append(acts, chromedp.Sleep(25*time.Millisecond), chromedp.MouseEvent(chromedp.MouseMoved, x, y, pressed))
	}
	acts = append(acts, chromedp.MouseEvent(chromedp.MouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	b.do(t, "draw on the pad", acts...)
}

// inked counts the pad's painted pixels: the drawing a person sees.
func inked(t *testing.T, b *Browser) int {
	t.Helper()
	return Eval[int](t, b, `(c => {
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let n = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
		return n;
	})(document.querySelector('canvas[data-signature-pad]'))`)
}

func TestSignatureDrawnIsSent(t *testing.T) {
	p := newTechPage(t)
	b := techBrowser(t, p)
	b.Visit(t, "/tekniker/arbetsorder/7")

	if hidden := Eval[bool](t, b, `document.documentElement.classList.contains('js') &&
		getComputedStyle(document.querySelector('[data-signature-fallback]')).display === 'none'`); !hidden {
		t.Errorf("with JavaScript the paper-photo fallback is shown, want it hidden (and <html class=js>)")
	}
	r, size := pad(t, b)
	if r.W < 300 || r.X < 0 || r.X+r.W > float64(Phone.Width) {
		t.Errorf("pad at x %.0f, %.0f wide on a %d px phone, want the full width of the column", r.X, r.W, Phone.Width)
	}
	if want := [2]int{int(math.Round(r.W * 2)), int(math.Round(r.H * 2))}; size != want {
		t.Errorf("pad bitmap %v for %.0f × %.0f CSS px at 2 dppx, want %v", size, r.W, r.H, want)
	}
	if scroll := Eval[bool](t, b, `document.documentElement.scrollWidth > innerWidth`); scroll {
		t.Errorf("the page scrolls sideways at %d px", Phone.Width)
	}

	// A stroke from (20, 40) to (220, 100), then the phone turns: the pad
	// gets wider and the drawing must stay, scaled with it.
	draw(t, b, r, 20, 40, 220, 100, 20)
	if n := inked(t, b); n == 0 {
		t.Fatal("after drawing, the pad shows nothing")
	}
	b.do(t, "turn the phone", chromedp.EmulateViewport(int64(Phone.Height), int64(Phone.Width),
		chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateLandscape))
	waitFor(t, b, "the pad to resize", fmt.Sprintf(
		`document.querySelector('canvas[data-signature-pad]').width > %d`, size[0]))
	turned, _ := pad(t, b)
	if n := inked(t, b); n == 0 {
		t.Fatal("after the pad was resized, it shows nothing: the drawing was lost")
	}

	b.Do(t, chromedp.SendKeys(chromedp.ID("signer_name"), "Karin Berg"))
	// As on a phone that has been here before, the post goes through the
	// service worker.
	waitFor(t, b, "the service worker to control the page", `!!navigator.serviceWorker.controller`)
	b.Follow(t, "[data-testid=sign-submit]")
	// The browser posted the form itself: the server's redirect and flash.
	if got := b.Text(t, "[data-testid=flash]"); got != "Sparat." {
		t.Errorf("after signing the page says %q, want the server's flash Sparat.", got)
	}
	posts := p.received()
	if len(posts) != 1 {
		t.Fatalf("the server got %d posts, want 1: %+v", len(posts), posts)
	}
	got := posts[0]
	if got.Path != "/tekniker/arbetsorder/7/signera" || got.SignerName != "Karin Berg" || got.Outcome != "signed" {
		t.Errorf("posted %+v, want the sign form with signer Karin Berg, outcome signed", got)
	}
	sig, err := docs.ParseSignature(got.Signature)
	if err != nil {
		t.Fatalf("ParseSignature(%.200q) = %v", got.Signature, err)
	}
	var n int
	for _, st := range sig.Strokes {
		n += len(st)
	}
	if len(sig.Strokes) < 1 || n < 5 {
		t.Fatalf("signature has %d strokes, %d points, want at least 1 and 5: %.300s", len(sig.Strokes), n, got.Signature)
	}
	// In CSS pixels of the pad as it is when sent, scaled from where the
	// pen was: x by the new width, y unchanged (the pad's height is fixed).
	if math.Abs(sig.Width-turned.W) > 0.5 || math.Abs(sig.Height-turned.H) > 0.5 {
		t.Errorf("signature pad %v × %v, want the pad's CSS size %.1f × %.1f", sig.Width, sig.Height, turned.W, turned.H)
	}
	first := sig.Strokes[0][0]
	wantX, wantY := 20*turned.W/r.W, 40.0
	if math.Abs(first.X-wantX) > 2 || math.Abs(first.Y-wantY) > 2 {
		t.Errorf("the stroke starts at (%.1f, %.1f), want about (%.1f, %.1f)", first.X, first.Y, wantX, wantY)
	}
}

func TestSignatureRequired(t *testing.T) {
	p := newTechPage(t)
	b := techBrowser(t, p)
	b.Visit(t, "/tekniker/arbetsorder/7")
	r, _ := pad(t, b)
	b.Do(t, chromedp.SendKeys(chromedp.ID("signer_name"), "Karin Berg"))

	// Drawn and wiped out is not signed.
	draw(t, b, r, 20, 40, 200, 60, 10)
	b.Do(t, chromedp.Click(chromedp.CSS("[data-signature-clear]")))
	if n := inked(t, b); n != 0 {
		t.Errorf("after Sudda the pad has %d painted pixels, want none", n)
	}
	b.Do(t, chromedp.Click(chromedp.CSS("[data-testid=sign-submit]")))
	const want = "Be kunden skriva sin namnteckning i rutan, eller välj att kunden inte kunde skriva under."
	b.WaitVisible(t, "[data-signature-error][role=alert]")
	if got := b.Text(t, "[data-signature-error]"); got != want {
		t.Errorf("with an empty pad the form says %q, want %q", got, want)
	}
	if got := b.Path(t); got != "/tekniker/arbetsorder/7" {
		t.Errorf("with an empty pad the page went to %s, want it to stay", got)
	}
	if posts := p.received(); len(posts) != 0 {
		t.Errorf("with an empty pad the server got %+v, want nothing", posts)
	}
	b.CheckA11y(t) // the message as well

	// A customer who cannot sign: the empty pad is fine.
	b.Do(t, chromedp.SetValue(chromedp.ID("outcome"), "refused"))
	b.Follow(t, "[data-testid=sign-submit]")
	posts := p.received()
	if len(posts) != 1 || posts[0].Outcome != "refused" || posts[0].Signature != "" {
		t.Errorf("with outcome refused the server got %+v, want one post without a signature", posts)
	}
}

// setOnline sets navigator.onLine, and fires the online or offline event.
// Whether requests get through is up to the stand-in server (techPage.down):
// Chromium's network emulation (Network.emulateNetworkConditionsByRule, even
// with emulateOfflineServiceWorker) let the service worker's fetches through
// when we tried it.
func setOnline(t *testing.T, b *Browser, online bool) {
	t.Helper()
	b.do(t, fmt.Sprintf("set navigator.onLine to %v", online), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: !online, DownloadThroughput: -1, UploadThroughput: -1,
		})
		return err
	}))
}

// ignoreProblems has the page errors containing s expected from now on:
// they are not reported.
func (b *Browser) ignoreProblems(s string) {
	b.mu.Lock()
	b.ignored = append(b.ignored, s)
	b.mu.Unlock()
}

// forgetProblems waits for page errors that contain s, which the test
// caused on purpose, and drops them; it fails if none comes within a step.
// (Chromium reports a failed request on its own schedule.)
func (b *Browser) forgetProblems(t *testing.T, s string) {
	t.Helper()
	for deadline := time.Now().Add(stepTimeout); ; time.Sleep(50 * time.Millisecond) {
		b.mu.Lock()
		kept := slices.DeleteFunc(slices.Clone(b.problems), func(p string) bool { return strings.Contains(p, s) })
		found := len(kept) < len(b.problems)
		if found {
			b.problems = kept
		}
		b.mu.Unlock()
		if found {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("expected a page error with %q within %v", s, stepTimeout)
			return
		}
	}
}

// formID is the client_id of the action form on the page.
func formID(t *testing.T, b *Browser) string {
	t.Helper()
	return Eval[string](t, b, `document.querySelector('#desc').form.elements.client_id.value`)
}

func TestOfflineQueue(t *testing.T) {
	p := newTechPage(t)
	b := techBrowser(t, p)
	b.Visit(t, "/tekniker/arbetsorder/7")
	live := formID(t, b)
	// The service worker, once active, keeps a copy of the page: the
	// stand-in serves it anew, with client_ids of its own.
	waitFor(t, b, "the page in the cache", `caches.match(location.href).then(r => !!r)`)
	cached := p.pageIDs()[0]
	const status = "[data-offline-status]"
	banner := func(want string) {
		t.Helper()
		waitFor(t, b, fmt.Sprintf("the banner to say %q", want), fmt.Sprintf(
			`(document.querySelector(%q) || {}).textContent === %q`, status, want))
	}
	submit := func(text string) {
		t.Helper()
		b.Do(t,
			chromedp.SendKeys(chromedp.ID("desc"), text),
			chromedp.Click(chromedp.CSS("[data-testid=action-submit]")),
		)
	}

	// The phone believes it is online, but the server cannot be reached:
	// the change waits.
	p.down.Store(true)
	submit("Bytt tätning")
	banner("1 ändring väntar på att skickas")
	b.forgetProblems(t, "net::ERR_") // the tries to reach the server
	// From here on every try while the server is down or the phone
	// offline fails so, whenever the queue tries (Chromium 148 reports
	// the tries of an offline page too).
	b.ignoreProblems("net::ERR_")
	if v := b.Value(t, "#desc"); v != "" {
		t.Errorf("after queueing, the form still holds %q, want it empty as after sending", v)
	}
	if got := b.Path(t); got != "/tekniker/arbetsorder/7" {
		t.Errorf("offline, the page went to %s, want it kept", got)
	}
	role := Eval[string](t, b, `(e => e.getAttribute('role') + ' ' + e.getAttribute('aria-live'))(document.querySelector('[data-offline-status]'))`)
	if role != "status polite" {
		t.Errorf("the offline banner has role/aria-live %q, want status polite", role)
	}
	b.CheckA11y(t)

	// Without any network the page opens from the service worker's cache.
	// A change made there keeps the copy's client_id; a second change from
	// the same copy, opened again, gets one of its own. A page never
	// opened shows the note.
	setOnline(t, b, false)
	b.Visit(t, "/tekniker/arbetsorder/7")
	if got := formID(t, b); got != cached {
		t.Errorf("offline, the page's form has client_id %q, want the cached copy's %q", got, cached)
	}
	banner("1 ändring väntar på att skickas")
	submit("Provkört")
	banner("2 ändringar väntar på att skickas")
	b.Visit(t, "/tekniker/arbetsorder/7")
	submit("Rengjort filter")
	banner("3 ändringar väntar på att skickas")
	b.Visit(t, "/tekniker/arbetsorder/8")
	if got := b.Text(t, "[data-testid=offline-page]"); got != "Ingen anslutning. Sidan finns inte sparad på telefonen ännu." {
		t.Errorf("a page never opened shows %q offline, want the offline note", got)
	}
	b.Visit(t, "/tekniker/arbetsorder/7")
	if posts := p.received(); len(posts) != 0 {
		t.Fatalf("offline, the server got %+v", posts)
	}

	// Online again: all are sent, in order, with their client_ids.
	p.down.Store(false)
	setOnline(t, b, true)
	waitFor(t, b, "the queue to empty", fmt.Sprintf(
		`(document.querySelector(%q) || {}).textContent.startsWith('Alla ändringar är skickade')`, status))
	posts := p.received()
	var texts []string
	for _, p := range posts {
		texts = append(texts, p.Description)
	}
	if want := []string{"Bytt tätning", "Provkört", "Rengjort filter"}; !slices.Equal(texts, want) {
		t.Fatalf("online again, the server got %q, want %q", texts, want)
	}
	if posts[0].ClientID != live || posts[1].ClientID != cached {
		t.Errorf("queued posts have client_ids %q, %q, want the pages' %q, %q", posts[0].ClientID, posts[1].ClientID, live, cached)
	}
	if id := posts[2].ClientID; id == cached || len(id) != 43 {
		t.Errorf("the change from the reopened copy has client_id %q, want a fresh one of 43 characters", id)
	}

	// A change the server refuses stays in view until it is removed.
	b.Visit(t, "/tekniker/arbetsorder/7")
	setOnline(t, b, false)
	submit("fel")
	banner("1 ändring väntar på att skickas")
	setOnline(t, b, true)
	b.WaitVisible(t, "[data-testid=offline-failed]")
	if got := b.Text(t, "[data-testid=offline-failed]"); !strings.Contains(got, "Kunde inte skicka: 422") {
		t.Errorf("a refused change shows %q, want Kunde inte skicka: 422", got)
	}
	b.forgetProblems(t, "answered 422")
	b.CheckA11y(t)
	b.Do(t, chromedp.Click(chromedp.CSS("[data-testid=offline-failed] button")))
	banner("")
	if n := len(p.received()); n != 3 {
		t.Errorf("the server recorded %d posts, want still 3", n)
	}

	// A lapsed session sends the change to the login page: it is not
	// made, so it stays in the phone.
	setOnline(t, b, false)
	submit("utloggad")
	banner("1 ändring väntar på att skickas")
	setOnline(t, b, true)
	banner("1 ändring väntar på att skickasLogga in igen, så skickas ändringarna.")
	if n := len(p.received()); n != 3 {
		t.Errorf("the server recorded %d posts, want still 3", n)
	}
}
