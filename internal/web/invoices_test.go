package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"kundportal/internal/orders"
	"kundportal/internal/peppol"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestInvoiceRunAndSpecification: the office previews and issues a run
// for a customer's completed case; the customer's Fakturaspecifikation
// shows it grouped by Fakturamärkning with the subtotal and the total to
// pay, as the invoice, as the month's specification (naming the invoice)
// and, before the run, under Kommande; its files hold the same lines; the
// other customer gets a 404 for all of it; the office credits it once.
func TestInvoiceRunAndSpecification(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.addWork(f.myCase) // a work order with a visible part of 890 kr and a hidden fee
		var wos []repair.WorkOrder
		wos, _ = db.WorkOrders(context.Background(), repair.StaffScope(), f.myCase.ID)
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
			if err := tx.SetWorkOrderStatus(ctx, wos[len(wos)-1].ID, repair.WorkOrderDone); err != nil {
				return err
			}
			for _, st := range []repair.Status{repair.StatusPlanned, repair.StatusCompleted} {
				if err := tx.SetCaseStatus(ctx, f.myCase.ID, st, f.disp.ID, "", time.Time{}); err != nil {
					return err
				}
			}
			return nil
		})
		anna, olle, disp := f.login(f.anna.Email), f.login(f.olle.Email), f.login(f.disp.Email)

		if up := doc(t, f.get(anna, "/fakturaspecifikation?visa=kommande")); !strings.Contains(up.Find("[data-testid=spec-case]").Text(), f.myCase.Number) {
			t.Error("Kommande does not show the done, uninvoiced case")
		}
		now := time.Now().In(repair.Stockholm)
		today, month := now.Format(time.DateOnly), now.Format("2006-01")
		run := url.Values{"kund": {itoa(f.mine.ID)}, "fran": {today}, "till": {today}}
		preview := doc(t, f.get(disp, "/order/fakturering?"+run.Encode()))
		if got := preview.Find("[data-testid=spec-subtotal]").Text(); got != "890,00\u00a0kr" {
			t.Errorf("the run's subtotal %q, want the visible 890,00 kr", got)
		}
		resp := f.post(disp, "/order/fakturering", run)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/order/fakturor/") {
			t.Fatalf("issue: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		invPath := resp.Header.Get("Location")
		id := strings.TrimPrefix(invPath, "/order/fakturor/")

		spec := doc(t, f.get(anna, "/fakturaspecifikation?faktura="+id))
		if got := spec.Find("[data-testid=spec-to-pay]").Text(); got != "1\u00a0113,00\u00a0kr" {
			t.Errorf("to pay %q, want 1 113,00 kr (890 + 25 %% VAT, rounded)", got)
		}
		if !strings.Contains(spec.Find("[data-testid=spec-totals]").Text(), "Moms 25 %222,50") {
			t.Errorf("totals %q lack the VAT at 25 %%", spec.Find("[data-testid=spec-totals]").Text())
		}
		if !strings.Contains(spec.Find("[data-testid=spec-group] h3").Text(), f.myCase.InvoiceReference) {
			t.Errorf("the group is %q, want the case's Fakturamärkning", spec.Find("[data-testid=spec-group] h3").Text())
		}
		if up := doc(t, f.get(anna, "/fakturaspecifikation?visa=kommande")); up.Find("[data-testid=spec-case]").Length() != 0 {
			t.Error("the invoiced case is still under Kommande")
		}
		// The month: the same case and subtotal, naming its invoice.
		inv, err := db.Invoice(context.Background(), repair.StaffScope(), mustID(t, id))
		if err != nil {
			t.Fatal(err)
		}
		period := doc(t, f.get(anna, "/fakturaspecifikation?period="+month))
		if got := period.Find("[data-testid=spec-invoice]").Text(); got != inv.Number {
			t.Errorf("the month's case names invoice %q, want %s", got, inv.Number)
		}
		if got := period.Find("[data-testid=spec-subtotal]").Text(); got != "890,00\u00a0kr" {
			t.Errorf("the month's subtotal %q, want 890,00 kr", got)
		}
		if got := period.Find("#period option[selected]").Text(); got != month {
			t.Errorf("the month list has %q chosen, want %s", got, month)
		}
		if resp := f.get(anna, "/fakturaspecifikation?period=2026-13"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("a month that does not exist: %d, want 400 with a message", resp.StatusCode)
		} else if msg := doc(t, resp).Find("[data-testid=error-period]").Text(); msg == "" {
			t.Error("no message next to the month list")
		}

		// The files: CSV and Excel hold the line with its grouping columns.
		for _, path := range []string{"/fakturaspecifikation/export.csv?faktura=" + id, "/fakturaspecifikation/export.csv?period=" + month, invPath + "/export.csv"} {
			c := anna
			if strings.HasPrefix(path, "/order") {
				c = disp
			}
			recs := readCSV(t, f.get(c, path))
			if len(recs) != 2 || recs[1][0] != f.myCase.InvoiceReference || recs[1][1] != f.myCase.Number || recs[1][12] != "890,00" || recs[1][14] != inv.Number {
				t.Errorf("%s: %q, want the header and the invoice's one line", path, recs)
			}
		}
		rows := readXLSX(t, f.get(anna, "/fakturaspecifikation/export.xlsx?faktura="+id), "Fakturaspecifikation")
		if len(rows) != 2 || rows[1][1] != f.myCase.Number || rows[1][12] != "890,00" {
			t.Errorf("XLSX rows %q", rows)
		}

		// Another customer: a 404 for the invoice, its files and the
		// office's, and nothing of it in its own views.
		for _, path := range []string{"/fakturaspecifikation?faktura=" + id, "/fakturaspecifikation/export.csv?faktura=" + id,
			"/fakturaspecifikation/export.pdf?faktura=" + id, "/fakturaspecifikation/export.xml?faktura=" + id, invPath + "/export.csv"} {
			if resp := f.get(olle, path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("another customer: %s = %d, want 404", path, resp.StatusCode)
			}
		}
		for _, path := range []string{"/fakturaspecifikation", "/fakturaspecifikation?period=" + month, "/fakturaspecifikation?visa=kommande"} {
			if strings.Contains(doc(t, f.get(olle, path)).Text(), f.myCase.Number) {
				t.Errorf("another customer's %s shows the case", path)
			}
		}
		if resp := f.post(disp, invPath+"/kreditera", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("credit: %d", resp.StatusCode)
		}
		page := doc(t, f.get(disp, invPath))
		if page.Find("[data-testid=credited-by]").Length() != 1 || page.Find("[data-testid=credit-form]").Length() != 0 {
			t.Error("the credited invoice's page does not name its credit note, or still offers to credit it")
		}
		if up := doc(t, f.get(anna, "/fakturaspecifikation?visa=kommande")); !strings.Contains(up.Find("[data-testid=spec-case]").Text(), f.myCase.Number) {
			t.Error("the credited case is not back under Kommande")
		}
		if resp := f.post(disp, invPath+"/kreditera", nil); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a second credit: %d, want 422", resp.StatusCode)
		}
	})
}

// TestInvoicesForAdminsOnly: a customer that shows its invoices to its
// admins only hides the tab, the views and the files from its users, who
// get a 404, while its admins and the office keep them.
func TestInvoicesForAdminsOnly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		inv := f.invoice(f.mine)
		boss := storetest.User(t, db, f.mine.ID, repair.RoleCustomerAdmin, "chef@solgarden.example", f.hash)
		mine := f.mine
		mine.InvoicesAdminsOnly = true
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.UpdateCustomer(ctx, mine) })
		anna, chef := f.login(f.anna.Email), f.login(boss.Email)
		paths := []string{"/fakturaspecifikation", "/fakturaspecifikation?faktura=" + itoa(inv.ID), "/fakturaspecifikation?visa=kommande",
			"/fakturaspecifikation/export.csv?faktura=" + itoa(inv.ID), "/fakturaspecifikation/export.xlsx"}
		for _, path := range paths {
			if resp := f.get(anna, path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("a user of an admins-only customer: %s = %d, want 404", path, resp.StatusCode)
			}
			if resp := f.get(chef, path); resp.StatusCode != http.StatusOK {
				t.Errorf("its admin: %s = %d, want 200", path, resp.StatusCode)
			}
		}
		if doc(t, f.get(anna, "/sok-arende")).Find("[data-testid=tab-fakturaspecifikation]").Length() != 0 {
			t.Error("the user still has the Fakturaspecifikation tab")
		}
		if doc(t, f.get(chef, "/sok-arende")).Find("[data-testid=tab-fakturaspecifikation]").Length() != 1 {
			t.Error("the admin lost the Fakturaspecifikation tab")
		}
		// The office sets it on the customer's page.
		disp := f.login(f.disp.Email)
		form := doc(t, f.get(disp, "/order/kunder/"+itoa(f.mine.ID)))
		if _, ok := form.Find("#invoices_admins_only").Attr("checked"); !ok {
			t.Error("the customer's page does not show the setting as on")
		}
		in := mine.Input()
		resp := f.post(disp, "/order/kunder/"+itoa(f.mine.ID), url.Values{"number": {in.Number}, "name": {in.Name},
			"org_number": {in.OrgNumber}, "invoice_address": {in.InvoiceAddress}, "hourly_rate": {in.HourlyRate}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving the customer without the setting: %d", resp.StatusCode)
		}
		if resp := f.get(f.login(f.anna.Email), "/fakturaspecifikation?faktura="+itoa(inv.ID)); resp.StatusCode != http.StatusOK {
			t.Errorf("with the setting off, the user gets %d, want 200", resp.StatusCode)
		}
	})
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// readCSV reads an export's semicolon-separated records after its BOM.
func readCSV(t *testing.T, resp *http.Response) [][]string {
	t.Helper()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		t.Fatalf("CSV: %d, want 200 with a BOM", resp.StatusCode)
	}
	r := csv.NewReader(bytes.NewReader(body[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// readXLSX reads the rows of an export's sheet.
func readXLSX(t *testing.T, resp *http.Response, sheet string) [][]string {
	t.Helper()
	body, _ := io.ReadAll(resp.Body)
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("XLSX (%d): %v", resp.StatusCode, err)
	}
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestInvoiceFiles: an issued invoice's PDF prints its reference, case,
// subtotal and total to pay; its e-invoice passes the Peppol rules with
// the Fakturamärkning as BuyerReference; its credit note is an e-invoice
// credit note naming it; the month's PDF ends in the total with VAT, not
// in an amount to pay; a month's specification has no e-invoice.
func TestInvoiceFiles(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		inv := f.invoice(f.mine)
		anna, disp := f.login(f.anna.Email), f.login(f.disp.Email)
		q := "?faktura=" + itoa(inv.ID)

		resp := f.get(anna, "/fakturaspecifikation/export.pdf"+q)
		pdf, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("PDF: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"Faktura " + inv.Number, "Godkänd för F-skatt", f.mine.Name, inv.Lines[0].CaseNumber,
			"Summa utan fakturamärkning", "890,00", "Att betala", "1 113,00 kr", "Sida 1 av 1"} {
			if !strings.Contains(text, want) {
				t.Errorf("the invoice's PDF lacks %q:\n%s", want, text)
			}
		}
		again, _ := io.ReadAll(f.get(disp, "/order/fakturor/"+itoa(inv.ID)+"/export.pdf").Body)
		if !bytes.Equal(pdf, again) {
			t.Error("the office's PDF of the invoice differs from the customer's: an issued invoice must render the same bytes")
		}

		resp = f.get(anna, "/fakturaspecifikation/export.xml"+q)
		xml, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xml") {
			t.Fatalf("XML: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if problems := peppol.Check(xml); len(problems) > 0 {
			t.Errorf("the e-invoice breaks Peppol rules: %q", problems)
		}
		for _, want := range []string{"<cbc:ID>" + inv.Number + "</cbc:ID>", "<cbc:PayableAmount currencyID=\"SEK\">1113.00</cbc:PayableAmount>",
			"Godkänd för F-skatt", "<cbc:StartDate>2026-03-01</cbc:StartDate>"} {
			if !bytes.Contains(xml, []byte(want)) {
				t.Errorf("the e-invoice lacks %s", want)
			}
		}

		resp = f.post(disp, "/order/fakturor/"+itoa(inv.ID)+"/kreditera", nil)
		creditID := strings.TrimPrefix(resp.Header.Get("Location"), "/order/fakturor/")
		cx, _ := io.ReadAll(f.get(anna, "/fakturaspecifikation/export.xml?faktura="+creditID).Body)
		if problems := peppol.Check(cx); len(problems) > 0 || !bytes.Contains(cx, []byte("<CreditNote")) || !bytes.Contains(cx, []byte(inv.Number)) {
			t.Errorf("the credit note's e-invoice: problems %q, or not a CreditNote naming %s", problems, inv.Number)
		}

		month := time.Now().In(repair.Stockholm).Format("2006-01")
		if resp := f.get(anna, "/fakturaspecifikation/export.xml?period="+month); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a month's e-invoice: %d, want 404", resp.StatusCode)
		}
		mp, _ := io.ReadAll(f.get(anna, "/fakturaspecifikation/export.pdf?period=2026-03").Body)
		if text := pdfText(t, mp); !strings.Contains(text, "Fakturaspecifikation 2026-03") || !strings.Contains(text, "Summa inkl. moms") || strings.Contains(text, "Att betala") {
			t.Errorf("the month's PDF:\n%s", text)
		}
	})
}

// pdfText is a PDF's text by pdftotext, with no-break spaces made plain.
// Without pdftotext the test is skipped on a developer's machine and
// fails under CI=true (.ci/run installs poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pdftotext is required under CI=true: %v", err)
		}
		t.Skipf("pdftotext not installed: %v", err)
	}
	name := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(name, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", name, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.ReplaceAll(string(out), "\u00a0", " ")
}

// TestInvoiceFilesNameTheCompany: the PDF's letterhead and the
// e-invoice's seller are the configured company, not the demo's.
func TestInvoiceFilesNameTheCompany(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	company := repair.DemoCompany
	company.Name, company.OrgNumber, company.VATNumber, company.FSkatt = "Vitvaruhjälpen i Hjo AB", "556677-8899", "SE556677889901", false
	ops := orders.New(db, f.files, nil)
	ops.UseCompany(company)
	h, err := New(Options{DB: db, Files: f.files, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ops: ops})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Close()
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	inv := f.invoice(f.mine)
	anna := f.login(f.anna.Email)
	pdf, _ := io.ReadAll(f.get(anna, "/fakturaspecifikation/export.pdf?faktura="+itoa(inv.ID)).Body)
	if text := pdfText(t, pdf); !strings.Contains(text, "Vitvaruhjälpen i Hjo AB") || strings.Contains(text, repair.DemoCompany.Name) ||
		strings.Contains(text, "F-skatt") {
		t.Errorf("the PDF's letterhead:\n%s", text)
	}
	xml, _ := io.ReadAll(f.get(anna, "/fakturaspecifikation/export.xml?faktura="+itoa(inv.ID)).Body)
	if !bytes.Contains(xml, []byte("<cbc:RegistrationName>Vitvaruhjälpen i Hjo AB</cbc:RegistrationName>")) || !bytes.Contains(xml, []byte("SE556677889901")) {
		t.Errorf("the e-invoice's seller is not the configured company:\n%s", xml)
	}
}

// TestSpecificationByReference: a specification of more cases than a page
// lists (the limit lowered to 3 here) shows its sums per Fakturamärkning,
// each the same as that group's subtotal and cases in the whole view, with
// the same totals; each leads to a page of that Fakturamärkning's cases
// alone. For a month, for Kommande and for an issued invoice; another
// customer's Fakturamärkning shows nothing.
func TestSpecificationByReference(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.completedCases([]string{"KST 1", "KST 2", ""}, 7)
		anna, olle, disp := f.login(f.anna.Email), f.login(f.olle.Email), f.login(f.disp.Email)
		month := time.Now().In(repair.Stockholm).Format("2006-01")
		// check: a view too large for a page shows its sums per
		// Fakturamärkning, each leading to the part of the whole view.
		check := func(who *http.Client, view string) {
			t.Helper()
			whole := doc(t, f.get(who, view))
			defer func(n int) { specPageCases = n }(specPageCases)
			specPageCases = 3
			summary := doc(t, f.get(who, view))
			if summary.Find("[data-testid=spec-case]").Length() != 0 {
				t.Errorf("%s: the summary lists cases", view)
			}
			if got, want := summary.Find("[data-testid=spec-totals]").Text(), whole.Find("[data-testid=spec-totals]").Text(); got != want || want == "" {
				t.Errorf("%s: totals %q, want the whole view's %q", view, got, want)
			}
			rows := summary.Find("[data-testid=spec-summary-row]")
			groups := whole.Find("[data-testid=spec-group]")
			if rows.Length() != 3 || groups.Length() != 3 {
				t.Fatalf("%s: %d summary rows, %d groups; want 3 each", view, rows.Length(), groups.Length())
			}
			rows.Each(func(i int, row *goquery.Selection) {
				g := groups.Eq(i)
				if got, want := row.Find("[data-testid=spec-summary-total]").Text(), g.Find("[data-testid=spec-subtotal]").Text(); got != want {
					t.Errorf("%s: row %d total %q, want the group's subtotal %q", view, i, got, want)
				}
				if got, want := row.Find("td").Eq(1).Text(), itoa(int64(g.Find("[data-testid=spec-case]").Length())); got != want {
					t.Errorf("%s: row %d counts %s cases, the group lists %s", view, i, got, want)
				}
				href, _ := row.Find("a").Attr("href")
				part := doc(t, f.get(who, href))
				if part.Find("[data-testid=spec-partial]").Length() != 1 || part.Find("[data-testid=spec-totals]").Length() != 0 {
					t.Errorf("%s: %s is not one Fakturamärkning's part", view, href)
				}
				if got, want := part.Find("[data-testid=spec-group]").Text(), g.Text(); got != want {
					t.Errorf("%s: %s shows\n%s\nwant the whole view's group\n%s", view, href, got, want)
				}
				if back, _ := part.Find("[data-testid=spec-whole]").Attr("href"); back != view {
					t.Errorf("%s: %s leads back to %q", view, href, back)
				}
			})
		}
		check(anna, "/fakturaspecifikation?period="+month)
		check(anna, "/fakturaspecifikation?visa=kommande")
		today := time.Now().In(repair.Stockholm).Format(time.DateOnly)
		run := url.Values{"kund": {itoa(f.mine.ID)}, "fran": {today}, "till": {today}}
		check(disp, "/order/fakturering?"+run.Encode())
		preview := map[string]string{}
		for _, v := range []string{"KST%001", "KST%ff%fe1"} {
			resp := f.get(disp, "/order/fakturering?"+run.Encode()+"&fakturamarkning="+v)
			page := doc(t, resp)
			if !strings.Contains(page.Find("[data-testid=error-summary]").Text(), "ogiltiga tecken") {
				t.Errorf("the invoice run with fakturamarkning=%s says nothing of it", v)
			}
			preview[v] = fmt.Sprint(resp.StatusCode, " ", page.Find("[data-testid=spec-case]").Length())
		}
		resp := f.post(disp, "/order/fakturering", run)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("issue: %d", resp.StatusCode)
		}
		invoice := resp.Header.Get("Location")
		check(anna, "/fakturaspecifikation?faktura="+strings.TrimPrefix(invoice, "/order/fakturor/"))
		check(disp, invoice)
		if n := doc(t, f.get(olle, "/fakturaspecifikation?period="+month+"&fakturamarkning=KST+1")).Find("[data-testid=spec-case]").Length(); n != 0 {
			t.Errorf("another customer's user sees %d cases under KST 1", n)
		}
		// A link with bytes that are not text says so, in Swedish, over the
		// whole month.
		resp = f.get(anna, "/fakturaspecifikation?period="+month+"&fakturamarkning=KST%001")
		bad := doc(t, resp)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(bad.Find("[data-testid=error-fakturamarkning]").Text(), "ogiltiga tecken") ||
			bad.Find("[data-testid=spec-case]").Length() != 7 {
			t.Errorf("fakturamarkning with a NUL: %d, %q, %d cases; want 400, the message and the whole month's 7 cases",
				resp.StatusCode, bad.Find("[data-testid=error-fakturamarkning]").Text(), bad.Find("[data-testid=spec-case]").Length())
		}
		// So do the office's invoice and its run (read before it was
		// issued), for a NUL and for bytes that are not UTF-8.
		for _, v := range []string{"KST%001", "KST%ff%fe1"} {
			resp = f.get(disp, invoice+"?fakturamarkning="+v)
			bad = doc(t, resp)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(bad.Find("[data-testid=error-fakturamarkning]").Text(), "ogiltiga tecken") ||
				bad.Find("[data-testid=spec-case]").Length() != 7 {
				t.Errorf("the office's invoice with fakturamarkning=%s: %d, %d cases; want 400, the message and the invoice's 7 cases",
					v, resp.StatusCode, bad.Find("[data-testid=spec-case]").Length())
			}
			if got := preview[v]; got != "400 7" {
				t.Errorf("the invoice run with fakturamarkning=%s: %s; want 400 and the run's 7 cases", v, got)
			}
		}
	})
}

// completedCases files n cases of f.mine, the i:th with Fakturamärkning
// refs[i%len(refs)], each with a done work order and one part of
// (i+1)·100 kr, and completes them.
func (f *fixture) completedCases(refs []string, n int) {
	f.t.Helper()
	t, db := f.t, f.db
	for i := range n {
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
			c := repair.Case{CustomerID: f.mine.ID, Type: repair.PortalCaseType, Title: fmt.Sprintf("Skövde Fel %d", i),
				Street: "Storgatan 1", InvoiceReference: refs[i%len(refs)]}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
			w := repair.WorkOrder{CaseID: c.ID, TechnicianID: f.tech.ID}
			if err := tx.CreateWorkOrder(ctx, &w); err != nil {
				return err
			}
			if err := tx.AddCostLine(ctx, &repair.CostLine{WorkOrderID: w.ID, Kind: repair.CostPart, Description: "Del",
				QuantityMilli: 1000, UnitPriceOre: int64(10000 * (i + 1)), CustomerVisible: true}); err != nil {
				return err
			}
			if err := tx.SetWorkOrderStatus(ctx, w.ID, repair.WorkOrderDone); err != nil {
				return err
			}
			for _, st := range []repair.Status{repair.StatusPlanned, repair.StatusCompleted} {
				if err := tx.SetCaseStatus(ctx, c.ID, st, f.disp.ID, "", time.Time{}); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

// TestSpecificationPages: one Fakturamärkning's cases come in pages (of 3
// here), whose Nästa links walk the cases of the whole view's group in
// its order, each page ending in the group's whole subtotal, and whose
// Föregående link leads back to the page before. A view of one
// Fakturamärkning only is paged itself, with its totals. So for a month,
// Kommande, and an issued invoice in the portal and the office. A link
// that is not a page's (a NUL, bytes that are not UTF-8, a number too
// long) says so and shows the first page; another customer's case as the
// page's start shows nothing.
func TestSpecificationPages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.completedCases([]string{"KST 9", "KST 9", "KST 9", "", "KST 9", "KST 9", "KST 9", "KST 9"}, 8)
		anna, disp := f.login(f.anna.Email), f.login(f.disp.Email)
		month := "/fakturaspecifikation?period=" + time.Now().In(repair.Stockholm).Format("2006-01")
		numbers := func(page *goquery.Document) []string {
			return page.Find("[data-testid=spec-case] td:first-child").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		}
		// walk checks the pages from first against the group of whole.
		walk := func(who *http.Client, whole *goquery.Selection, first string, wantTotals bool) {
			t.Helper()
			defer func(n int) { specPageCases = n }(specPageCases)
			specPageCases = 3
			var seen []string
			var prev []string // the page before this one
			for page, next := 1, first; next != ""; page++ {
				resp := f.get(who, next)
				d := doc(t, resp)
				got := numbers(d)
				if resp.StatusCode != http.StatusOK || len(got) == 0 || len(got) > 3 || d.Find("[data-testid=spec-page-note]").Length() != 1 {
					t.Fatalf("%s: %d, cases %v", next, resp.StatusCode, got)
				}
				if sub, want := d.Find("[data-testid=spec-subtotal]").Text(), whole.Find("[data-testid=spec-subtotal]").Text(); sub != want {
					t.Errorf("%s: subtotal %q, want the whole group's %q", next, sub, want)
				}
				if n := d.Find("[data-testid=spec-totals]").Length(); (n == 1) != wantTotals {
					t.Errorf("%s: %d totals", next, n)
				}
				back, hasPrev := d.Find("[data-testid=spec-prev]").Attr("href")
				if hasPrev != (page > 1) {
					t.Errorf("%s, page %d: a Föregående link %v", next, page, hasPrev)
				}
				if hasPrev {
					if before := numbers(doc(t, f.get(who, back))); !slices.Equal(before, prev) {
						t.Errorf("%s: Föregående shows %v, want %v", next, before, prev)
					}
				}
				seen, prev = append(seen, got...), got
				next, _ = d.Find("[data-testid=spec-next]").Attr("href")
			}
			want := whole.Find("[data-testid=spec-case] td:first-child").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
			if len(want) != 7 || !slices.Equal(seen, want) {
				t.Errorf("%s: the pages show %v, want the whole group's %v", first, seen, want)
			}
		}
		group := func(who *http.Client, view string) *goquery.Selection {
			t.Helper()
			g := doc(t, f.get(who, view)).Find("[data-testid=spec-group]").FilterFunction(func(_ int, s *goquery.Selection) bool {
				return strings.Contains(s.Find("h3").Text(), "KST 9")
			})
			if g.Length() != 1 {
				t.Fatalf("%s: no group KST 9", view)
			}
			return g
		}
		walk(anna, group(anna, month), month+"&fakturamarkning=KST+9", false)
		walk(anna, group(anna, "/fakturaspecifikation?visa=kommande"), "/fakturaspecifikation?visa=kommande&fakturamarkning=kst+9", false)

		// Bad page links: the message and the first page, or nothing.
		defer func(n int) { specPageCases = n }(specPageCases)
		specPageCases = 3
		resp := f.get(anna, month+"&fakturamarkning=KST+9&efter=x1")
		bad := doc(t, resp)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(bad.Find("[data-testid=error-sida]").Text(), "länken är ogiltig") || len(numbers(bad)) != 3 {
			t.Errorf("efter=x1: %d, %q, %v", resp.StatusCode, bad.Find("[data-testid=error-sida]").Text(), numbers(bad))
		}
		foreign := doc(t, f.get(anna, month+"&fakturamarkning=KST+9&efter="+itoa(f.theirCase.ID)))
		if got := numbers(foreign); len(got) != 0 || foreign.Find("[data-testid=spec-empty]").Length() != 1 {
			t.Errorf("efter another customer's case: %v", got)
		}
		// A NUL, bytes that are not UTF-8, and a number too long for one,
		// in either link, in the portal and the office: the message and
		// the first page. A megabyte is refused before the page, as any
		// address that long.
		today := time.Now().In(repair.Stockholm).Format(time.DateOnly)
		run := url.Values{"kund": {itoa(f.mine.ID)}, "fran": {today}, "till": {today}}
		for _, v := range []string{"1%00", "%ff%fe", strings.Repeat("9", 3000)} {
			for _, key := range []string{"efter", "fore"} {
				for who, view := range map[*http.Client]string{anna: month + "&fakturamarkning=KST+9", disp: "/order/fakturering?" + run.Encode() + "&fakturamarkning=KST+9"} {
					resp := f.get(who, view+"&"+key+"="+v)
					bad := doc(t, resp)
					msg := bad.Find("[data-testid=error-sida], [data-testid=error-summary]").Text()
					if resp.StatusCode != http.StatusBadRequest || !strings.Contains(msg, "länken är ogiltig") || len(numbers(bad)) != 3 {
						t.Errorf("%s with %s=%.12s: %d, %q, %d cases; want 400, the message and the first page",
							view, key, v, resp.StatusCode, msg, len(numbers(bad)))
					}
				}
			}
		}
		if resp := f.get(anna, month+"&fakturamarkning=KST+9&efter="+strings.Repeat("9", 1<<20)); resp.StatusCode != http.StatusRequestURITooLong {
			t.Errorf("a megabyte in efter: %d, want 414", resp.StatusCode)
		}
		specPageCases = 50

		walk(disp, group(disp, "/order/fakturering?"+run.Encode()), "/order/fakturering?"+run.Encode()+"&fakturamarkning=KST+9", false)
		resp = f.post(disp, "/order/fakturering", run)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("issue: %d", resp.StatusCode)
		}
		invoice := resp.Header.Get("Location")
		portal := "/fakturaspecifikation?faktura=" + strings.TrimPrefix(invoice, "/order/fakturor/")
		walk(anna, group(anna, portal), portal+"&fakturamarkning=KST+9", false)
		walk(disp, group(disp, invoice), invoice+"?fakturamarkning=KST+9", false)

		// Kommande of one Fakturamärkning only: the cases done since the
		// invoice.
		f.completedCases([]string{"KST 9"}, 7)
		kommande := "/fakturaspecifikation?visa=kommande"
		whole := doc(t, f.get(anna, kommande))
		walk(anna, whole.Find("[data-testid=spec-group]"), kommande, true)
	})
}
