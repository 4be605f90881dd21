package e2e

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kundportal/internal/repair"
)

// TestDispatcherHandlesPortalCase is the order system's main path: a
// customer files a case, a dispatcher plans a work order on it, records an
// action with costs and a photo, sets Utförd, and the customer then sees
// all of it in Sök ärende.
func TestDispatcherHandlesPortalCase(t *testing.T) {
	photo := filepath.Join(t.TempDir(), "pump.png")
	img := image.NewRGBA(image.Rect(0, 0, 600, 400))
	for x := 0; x < 600; x++ {
		img.Set(x, 200, color.RGBA{0, 80, 160, 255})
	}
	pf, err := os.Create(photo)
	if err != nil {
		t.Fatal(err)
	}
	png.Encode(pf, img)
	pf.Close()

	b := NewBrowser(t)
	// The customer files a case without a machine.
	b.Visit(t, "/logga-in")
	b.Login(t, "lars@tvatteriet.example", demoPassword)
	b.Visit(t, "/nytt-arende")
	b.Do(t,
		chromedp.SendKeys(chromedp.ID("title"), "Lidköping Torktumlare luktar bränt"),
		chromedp.SendKeys(chromedp.ID("description"), "Luktar bränt efter tio minuter."),
		chromedp.SendKeys(chromedp.ID("street"), "Skaragatan 4"),
		chromedp.SendKeys(chromedp.ID("postal_code"), "53130"),
		chromedp.SendKeys(chromedp.ID("city"), "Lidköping"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('reporter_phone').value = '0510-123 45'`),
	)
	b.Follow(t, "[data-testid=save-case]")
	number := b.Text(t, "[data-testid=case-number]")
	b.Follow(t, logoutTab)

	// The dispatcher finds it in the intake and works it.
	b.Login(t, "disp@kundportal.example", demoPassword)
	b.Visit(t, "/order")
	b.Follow(t, `[data-testid=intake-list] a[href^="/order/arenden/"]`)
	if h := b.Text(t, "h1"); !strings.Contains(h, number) {
		b.Visit(t, "/order")
		t.Fatalf("the newest case in the intake is %q, want %s", h, number)
	}
	day := time.Now().In(repair.Stockholm).Format(time.DateOnly)
	b.Do(t, chromedp.SetValue(chromedp.ID("wo-from"), "09:00"), chromedp.SetValue(chromedp.ID("wo-until"), "11:00"))
	b.Follow(t, "[data-testid=create-work-order]")
	confirmed(t, b, "Arbetsordern är planerad.")
	if got := b.Text(t, "[data-testid=case-status]"); got != "Planerad" {
		t.Errorf("after planning the case is %q, want Planerad", got)
	}
	woID := Eval[string](t, b, `document.querySelector('[data-testid=work-order]').id.replace('wo-', '')`)
	b.Do(t,
		chromedp.Click(chromedp.CSS("#wo-"+woID+" details summary")),
		chromedp.SendKeys(chromedp.ID("a"+woID+"-time"), "1:15"),
		chromedp.SendKeys(chromedp.ID("a"+woID+"-desc"), "Rengjort luddfilter och frånluft, provkört OK"),
	)
	b.Follow(t, "[data-testid=add-action-"+woID+"]")
	confirmed(t, b, "Åtgärden är sparad.")
	b.Do(t,
		chromedp.Click(chromedp.CSS("#wo-"+woID+" details:nth-of-type(2) summary")),
		chromedp.SetValue(chromedp.ID("c"+woID+"-kind"), "part"),
		chromedp.SendKeys(chromedp.ID("c"+woID+"-desc"), "Luddfilter"),
		chromedp.SendKeys(chromedp.ID("c"+woID+"-price"), "349,50"),
	)
	b.Follow(t, "[data-testid=add-cost-"+woID+"]")
	confirmed(t, b, "Kostnaden är sparad.")
	b.Do(t, chromedp.SetUploadFiles(chromedp.ID("upload-file"), []string{photo}))
	b.Follow(t, "[data-testid=upload-submit]")
	confirmed(t, b, "Filen är uppladdad.")
	for _, st := range []string{"in_progress", "completed"} {
		b.Do(t, chromedp.SetValue(chromedp.ID("status-to"), st))
		b.Follow(t, "[data-testid=set-status]")
		confirmed(t, b, "Statusen är ändrad.")
	}
	if got := b.Text(t, "[data-testid=case-status]"); got != "Utförd" {
		t.Fatalf("status = %q, want Utförd", got)
	}

	// The case has left the Inkorg; the dispatcher finds it again by
	// customer and status in Sök ärenden.
	b.Visit(t, "/order")
	if strings.Contains(b.Text(t, "main"), number) {
		t.Errorf("case %s, now Utförd, is still in the Inkorg", number)
	}
	b.Follow(t, "[data-testid=nav-sok-arenden]")
	b.Do(t,
		chromedp.Evaluate[chromedp.Void](`(() => {
			const sel = document.getElementById('kund');
			sel.value = Array.from(sel.options).find(o => o.text.includes('Tvätteriet')).value;
		})()`),
		chromedp.Click(chromedp.ID("status-completed")),
	)
	b.Follow(t, "[data-testid=search-submit]")
	if rows := b.Text(t, "[data-testid=case-list]"); !strings.Contains(rows, number) || !strings.Contains(rows, "Tvätteriet") {
		t.Errorf("Sök ärenden by customer and Utförd does not list %s: %q", number, rows)
	}
	b.Follow(t, "[data-testid=nav-logga-ut]")

	// The customer sees it all.
	b.Login(t, "lars@tvatteriet.example", demoPassword)
	b.Visit(t, "/sok-arende?q="+number)
	row := b.Text(t, "[data-testid=case-row]")
	if !strings.Contains(row, "Utförd") || !strings.Contains(row, day) {
		t.Errorf("the customer's row = %q, want Utförd on %s", row, day)
	}
	b.Do(t, chromedp.Click(chromedp.CSS("[data-testid=see-actions]")))
	b.WaitVisible(t, "[data-testid=inline-actions]")
	work := b.Text(t, "[data-testid=inline-actions]")
	for _, want := range []string{"Rengjort luddfilter", "1 h 15 min", "Luddfilter", "349,50"} {
		if !strings.Contains(work, want) {
			t.Errorf("Se åtgärder lacks %q", want)
		}
	}
	b.Follow(t, "[data-testid=see-files]")
	loaded := EvalAsync[bool](t, b, `(async () => {
		const img = document.querySelector('.thumb img');
		if (!img) return false;
		await img.decode();
		return img.naturalWidth === 320;
	})()`)
	if !loaded {
		t.Error("the photo's thumbnail does not load for the customer")
	}
}

// TestOfficePagesOnPhone: the office pages, too, need no horizontal
// scrolling at 360 px (wide tables scroll inside their own box).
func TestOfficePagesOnPhone(t *testing.T) {
	b := NewBrowserAt(t, Phone)
	b.Visit(t, "/logga-in")
	b.Login(t, "admin@kundportal.example", demoPassword)
	for _, path := range []string{"/order", "/order/arenden", "/order/arenden?status=registered", "/order/fakturering", "/order/nytt-arende", "/order/arbetsorder", "/order/kunder", "/order/personal"} {
		b.Visit(t, path)
		noHorizontalScroll(t, b)
	}
	b.Visit(t, "/order")
	b.Follow(t, `[data-testid=intake-list] a[href^="/order/arenden/"]`)
	noHorizontalScroll(t, b)
	b.Visit(t, "/order/kunder")
	b.Follow(t, `[data-testid=customer-list] a`)
	noHorizontalScroll(t, b)
	b.Follow(t, `[data-testid=customer-assets]`)
	noHorizontalScroll(t, b)
}

// confirmed checks the confirmation a saved form left on the page: the
// text in its status region (which a script fills a moment after the page
// loads, so screen readers read it), and focus back in the part of the
// page the form was in.
func confirmed(t *testing.T, b *Browser, want string) {
	t.Helper()
	got := EvalAsync[string](t, b, `(async () => {
		for (let i = 0; i < 40; i++) {
			const f = document.querySelector('[data-testid=flash][role=status]');
			if (f && f.textContent) return f.textContent;
			await new Promise(r => setTimeout(r, 50));
		}
		return '';
	})()`)
	if got != want {
		t.Errorf("after saving: confirmation %q, want %q", got, want)
	}
	if hash := Eval[string](t, b, `location.hash`); hash != "" {
		if in := Eval[bool](t, b, `document.getElementById(decodeURIComponent(location.hash.slice(1))).contains(document.activeElement)`); !in {
			t.Errorf("after saving: focus is not in %s, where the form was", hash)
		}
	}
}
