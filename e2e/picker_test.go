package e2e

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"kundportal/internal/repair"
)

const anna = "anna@solgarden.example"

// lookAlikes finds two of the customer's demo machines of the same kind
// and brand at the same address: what the picker must tell apart.
func lookAlikes(t *testing.T, backend, email string) (repair.Asset, repair.Asset) {
	t.Helper()
	ctx := context.Background()
	db := servers[backend].db
	u, err := db.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.SearchAssets(ctx, repair.CustomerScope(u.CustomerID), "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]repair.Asset{}
	for _, a := range all {
		key := a.Kind + "|" + a.Brand + "|" + a.Street
		if b, ok := seen[key]; ok && a.Model != "" && a.SerialNumber != "" && b.SerialNumber != a.SerialNumber {
			return b, a
		}
		seen[key] = a
	}
	t.Fatalf("the demo data has no two machines of one kind and brand at one address for %s", email)
	return repair.Asset{}, repair.Asset{}
}

// photoFile writes a small PNG for the file field and returns its path.
func photoFile(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for x := 0; x < 320; x++ {
		img.Set(x, 120, color.RGBA{160, 20, 20, 255})
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// setSelect chooses value in the select sel as a person would, so that
// the page's change listeners run.
func setSelect(t *testing.T, b *Browser, sel, value string) {
	t.Helper()
	b.Do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event('change', {bubbles: true})); })()`, sel, value)))
}

// fillRequired fills in the fields a case needs besides the machine's.
func fillRequired(t *testing.T, b *Browser, title string) {
	t.Helper()
	b.Do(t,
		chromedp.SendKeys(chromedp.ID("title"), title),
		chromedp.SendKeys(chromedp.ID("description"), "Tömmer inte. Hyresgäst har kollat sil."),
	)
}

// thumbnailsLoad reports whether every thumbnail on the page decodes.
func thumbnailsLoad(t *testing.T, b *Browser) bool {
	t.Helper()
	return EvalAsync[bool](t, b, `(async () => {
		const imgs = Array.from(document.querySelectorAll('[data-testid=case-files] img'));
		if (!imgs.length) return false;
		try { await Promise.all(imgs.map(i => i.decode())); } catch (e) { return false; }
		return imgs.every(i => i.naturalWidth > 0);
	})()`)
}

// TestPickerWithJavaScript: the type-ahead lists look-alike machines
// with model, serial number and label, chooses nothing by itself, keeps
// a typed Gata and offers the machine's; Portkod shows only with the
// choice Portkod; a photo goes with the case.
// checkChosen checks the form after machine a was chosen over the Gata
// the person typed: the machine shown, Gata kept, the empty Postnr
// filled in, and the machine's street offered.
func checkChosen(t *testing.T, b *Browser, a repair.Asset, typed string) {
	t.Helper()
	if !strings.Contains(b.Text(t, "[data-testid=chosen-asset]"), "Objektnr "+a.Number) {
		t.Error("the chosen machine is not shown")
	}
	if got := b.Value(t, "#street"); got != typed {
		t.Errorf("choosing overwrote Gata with %q, want %q kept", got, typed)
	}
	if got := b.Value(t, "#postal_code"); got != a.PostalCode {
		t.Errorf("empty Postnr = %q, want the machine's %q", got, a.PostalCode)
	}
	if got := b.Text(t, "[data-testid=use-offer-street]"); got != "Använd objektets: "+a.Street {
		t.Errorf("offer = %q", got)
	}
}

func TestPickerWithJavaScript(t *testing.T) {
	b := NewBrowser(t)
	first, second := lookAlikes(t, "sqlite", anna)
	b.Visit(t, "/logga-in")
	b.Login(t, anna, demoPassword)
	b.Visit(t, "/nytt-arende")

	// Portkod is asked for only with the choice Portkod.
	if b.Count(t, "#door-code-field:not([hidden])") != 0 {
		t.Error("Portkod shown before Huvudnyckel is Portkod")
	}
	setSelect(t, b, "#access", "Portkod")
	b.WaitVisible(t, "#door_code")
	if h := Eval[float64](t, b, `document.getElementById('door_code').getBoundingClientRect().height`); h > 60 {
		t.Errorf("Portkod is %.0f px tall, want one line", h)
	}
	b.Do(t, chromedp.SendKeys(chromedp.ID("door_code"), "1234"))
	b.CheckA11y(t)
	setSelect(t, b, "#access", "Ja")
	if !Eval[bool](t, b, `document.getElementById('door-code-field').hidden && document.getElementById('door_code').disabled`) {
		t.Error("Portkod still shown (or sent) after choosing Ja")
	}

	// A Gata typed before the machine is chosen.
	const typed = "Annan gata 5"
	b.Do(t, chromedp.SendKeys(chromedp.ID("street"), typed))

	// A broad search says when the list is cut.
	ctx := context.Background()
	u, _ := servers["sqlite"].db.UserByEmail(ctx, anna)
	many, err := servers["sqlite"].db.SearchAssets(ctx, repair.CustomerScope(u.CustomerID), first.Kind, 21)
	if err != nil {
		t.Fatal(err)
	}
	b.Do(t, chromedp.SendKeys(chromedp.ID("asset_query"), first.Kind))
	b.WaitVisible(t, "[data-testid=asset-suggestion]")
	want := fmt.Sprintf("%d träffar", len(many))
	if len(many) > 20 {
		want = "Visar de 20 första träffarna – skriv mer för att smalna av"
	}
	if got := b.Text(t, "#asset-suggestions [data-testid=asset-hits]"); got != want {
		t.Errorf("hits for %q = %q, want %q", first.Kind, got, want)
	}

	// Narrowed to the address: the look-alikes, each with its model,
	// serial number and label.
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById('asset_query').value = ''`),
		chromedp.SendKeys(chromedp.ID("asset_query"), first.Street+" "+first.Kind+" "+first.Brand))
	b.do(t, "wait for the narrowed list", chromedp.Poll[chromedp.Void](fmt.Sprintf(
		`Array.from(document.querySelectorAll('[data-testid=asset-suggestion]')).some(b => b.textContent.includes('Objektnr %s'))`, second.Number)))
	entries := Eval[[]string](t, b, `Array.from(document.querySelectorAll('[data-testid=asset-suggestion]')).map(b => b.textContent)`)
	for _, m := range []repair.Asset{first, second} {
		found := false
		for _, e := range entries {
			if strings.Contains(e, "Objektnr "+m.Number) {
				found = true
				for _, want := range []string{m.Model, "Serienr " + m.SerialNumber, m.Street} {
					if !strings.Contains(e, want) {
						t.Errorf("entry %q lacks %q", e, want)
					}
				}
			}
		}
		if !found {
			t.Errorf("machine %s not listed in %q", m.Number, entries)
		}
	}
	// Nothing is chosen, or about to be, until the person clicks.
	if got := Eval[string](t, b, `document.getElementById('asset_id').value + '|' + document.activeElement.id`); got != "|asset_query" {
		t.Errorf("before a click: asset_id|focus = %q, want nothing chosen and the focus in the search", got)
	}
	if b.Count(t, "[data-testid=chosen-asset]") != 0 || b.Count(t, "[aria-selected=true], [data-testid=asset-suggestion].selected") != 0 {
		t.Error("a machine is preselected")
	}
	b.CheckA11y(t)

	// Found and clicked in one step in the page: the list may be drawn
	// again (a late search answer) between a lookup and a click.
	clicked := Eval[bool](t, b, fmt.Sprintf(`(() => {
		const el = document.evaluate('//button[@data-testid="asset-suggestion"][contains(., "Objektnr %s")]', document, null,
			XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
		if (el) el.click();
		return !!el;
	})()`, second.Number))
	if !clicked {
		t.Fatalf("no suggestion for machine %s to click", second.Number)
	}
	b.WaitVisible(t, "[data-testid=chosen-asset]")
	if got := b.Value(t, "#asset_id"); got != fmt.Sprint(second.ID) {
		t.Errorf("chose asset_id %q, want %d", got, second.ID)
	}
	checkChosen(t, b, second, typed)
	b.CheckA11y(t)
	b.Do(t, chromedp.Click(chromedp.CSS("[data-testid=use-offer-street]")))
	if got := b.Value(t, "#street"); got != second.Street {
		t.Errorf("after taking the offer, Gata = %q, want %q", got, second.Street)
	}
	if b.Count(t, "[data-testid=offer-street]") != 0 {
		t.Error("the offer stays after it was taken")
	}

	fillRequired(t, b, second.City+" "+second.Kind+" tömmer inte")
	b.Do(t, chromedp.SetUploadFiles(chromedp.ID("photos"), []string{photoFile(t, "typskylt.png")}))
	if status := b.Follow(t, "[data-testid=save-case]"); status != 200 {
		t.Fatalf("Spara: status %d, want 200 after the redirect", status)
	}
	b.WaitVisible(t, "[data-testid=case-confirmation]")
	if !strings.Contains(b.Text(t, "[data-testid=case-files]"), "typskylt.png") || !thumbnailsLoad(t, b) {
		t.Error("the photo is not on the case page, or its thumbnail does not load")
	}
	if got := b.Text(t, "[data-testid=case-access]"); got != "••••" {
		t.Errorf("Huvudnyckel = %q, want Ja masked (the hidden code not sent)", got)
	}
}

// TestPickerWithoutJavaScript: the same path with the form posted back:
// search, see look-alikes told apart, nothing preselected, choose, keep
// the typed Gata and take the offer, Portkod always shown, a photo saved.
func TestPickerWithoutJavaScript(t *testing.T) {
	b := NewBrowser(t)
	first, second := lookAlikes(t, "sqlite", anna)
	b.DisableScripts(t)
	b.Visit(t, "/logga-in")
	b.Login(t, anna, demoPassword)
	b.Visit(t, "/nytt-arende")
	if Eval[bool](t, b, `document.getElementById('door-code-field').hidden`) {
		t.Fatal("JavaScript still runs: Portkod was hidden")
	}
	b.WaitVisible(t, "#door_code")
	if !strings.Contains(b.Text(t, "#help-door_code"), "Portkod") {
		t.Error("Portkod has no help saying when it is needed")
	}

	const typed = "Annan gata 5"
	b.Do(t,
		chromedp.SendKeys(chromedp.ID("street"), typed),
		chromedp.SendKeys(chromedp.ID("asset_query"), first.Street+" "+first.Kind+" "+first.Brand),
	)
	b.Follow(t, "[data-testid=asset-search]")
	b.WaitVisible(t, "[data-testid=asset-results]")
	if got := b.Text(t, "[data-testid=asset-hits]"); !strings.HasSuffix(got, "träffar") && got != "1 träff" {
		t.Errorf("hits = %q", got)
	}
	for _, m := range []repair.Asset{first, second} {
		sel := fmt.Sprintf("label[for=asset_choice_%d]", m.ID)
		text := b.Text(t, sel)
		for _, want := range []string{"Objektnr " + m.Number, m.Model, "Serienr " + m.SerialNumber} {
			if !strings.Contains(text, want) {
				t.Errorf("entry %q lacks %q", text, want)
			}
		}
	}
	if n := b.Count(t, "input[name=asset_choice]:checked"); n != 0 {
		t.Errorf("%d machines preselected", n)
	}
	if got := b.Value(t, "#street"); got != typed {
		t.Errorf("the search lost Gata: %q", got)
	}
	b.Do(t, chromedp.Click(chromedp.CSS(fmt.Sprintf("label[for=asset_choice_%d]", second.ID))))
	b.Follow(t, "[data-testid=asset-choose]")
	b.WaitVisible(t, "[data-testid=chosen-asset]")
	checkChosen(t, b, second, typed)
	b.Follow(t, "[data-testid=use-offer-street]")
	if got := b.Value(t, "#street"); got != second.Street {
		t.Errorf("after taking the offer, Gata = %q, want %q", got, second.Street)
	}

	fillRequired(t, b, second.City+" "+second.Kind+" låter")
	b.Do(t, chromedp.SetValue(chromedp.ID("access"), "Portkod"), chromedp.SendKeys(chromedp.ID("door_code"), "4711"))
	b.Do(t, chromedp.SetUploadFiles(chromedp.ID("photos"), []string{photoFile(t, "felet.png")}))
	if status := b.Follow(t, "[data-testid=save-case]"); status != 200 {
		t.Fatalf("Spara: status %d, want 200 after the redirect", status)
	}
	b.WaitVisible(t, "[data-testid=case-confirmation]")
	if !strings.Contains(b.Text(t, "[data-testid=case-files]"), "felet.png") || !thumbnailsLoad(t, b) {
		t.Error("the photo is not on the case page, or its thumbnail does not load")
	}
	if got := b.Text(t, "[data-testid=case-access]"); got != "Portkod ••••" {
		t.Errorf("Huvudnyckel = %q, want Portkod masked", got)
	}
}
