package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"

	"github.com/PuerkitoBio/goquery"
)

// planFor plans a work order on the case for the technician at start.
func (f *fixture) planFor(caseID, techID int64, start time.Time) repair.WorkOrder {
	f.t.Helper()
	w := repair.WorkOrder{CaseID: caseID, TechnicianID: techID, PlannedStart: start, PlannedEnd: start.Add(90 * time.Minute)}
	storetest.Write(f.t, f.db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateWorkOrder(ctx, &w) })
	return w
}

// TestTechnicianAgenda: Mina arbetsorder lists the technician's own open
// work orders, yesterday's unfinished one first, with what is needed on
// site; another technician's are not there.
func TestTechnicianAgenda(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		other := storetest.User(t, db, 0, repair.RoleTechnician, "annan@kundportal.example", f.hash)
		today := repair.Midnight(time.Now())
		late := f.planFor(f.myCase.ID, f.tech.ID, today.AddDate(0, 0, -1).Add(9*time.Hour))
		now := f.planFor(f.theirCase.ID, f.tech.ID, today.Add(10*time.Hour))
		notMine := f.planFor(f.myCase.ID, other.ID, today.Add(8*time.Hour))
		farAway := f.planFor(f.myCase.ID, f.tech.ID, today.AddDate(0, 0, agendaDays+1).Add(8*time.Hour))

		d := doc(t, f.get(f.login(f.tech.Email), "/tekniker"))
		var got []string
		d.Find("[data-testid=open-work-order]").Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			got = append(got, href)
		})
		want := []string{"/tekniker/arbetsorder/" + itoa(late.ID), "/tekniker/arbetsorder/" + itoa(now.ID)}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("agenda links = %v, want %v (not %d or %d)", got, want, notMine.ID, farAway.ID)
		}
		if h := d.Find("h2").First().Text(); h != "Tidigare, inte avslutade" {
			t.Errorf("first heading = %q, want the unfinished ones on top", h)
		}
		body := d.Text()
		for _, s := range []string{f.theirCase.Title, f.theirs.Name, "Storgatan 1", "541 30 Skövde"} {
			if !strings.Contains(body, s) {
				t.Errorf("agenda lacks %q", s)
			}
		}
		if d.Find(`a[href^="https://www.google.com/maps/search/"]`).Length() != 2 {
			t.Error("each work order should link its address to a map")
		}
	})
}

// TestTechnicianWorkOrder walks a visit: start, an action typed as a
// person types time, a part, a refused finish, and the finish.
func TestTechnicianWorkOrder(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := t.Context()
		wo := f.planFor(f.myCase.ID, f.tech.ID, repair.Midnight(time.Now()).Add(8*time.Hour))
		tech := f.login(f.tech.Email)
		base := "/tekniker/arbetsorder/" + itoa(wo.ID)

		if resp := f.post(tech, base+"/klar", url.Values{"outcome": {""}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("finish with nothing recorded = %d, want 422", resp.StatusCode)
		} else if d := doc(t, resp); !strings.Contains(d.Find("#finish-outcome").Parent().Text(), "minst en åtgärd") {
			t.Error("refused finish does not say why next to the field")
		}
		if resp := f.post(tech, base+"/start", url.Values{"client_id": {"c1"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("start = %d", resp.StatusCode)
		}
		if c, _ := db.Case(ctx, repair.StaffScope(), f.myCase.ID); c.Status != repair.StatusInProgress {
			t.Errorf("case after start = %s, want in progress", c.Status)
		}
		for _, typed := range []struct {
			time string
			min  int
		}{{"1 h 30 min", 90}, {"45 min", 45}, {"1,5", 90}, {"1:15", 75}, {"90", 90}, {"2 h", 120}} {
			resp := f.post(tech, base+"/atgard", url.Values{"description": {"Bytt pump"}, "time": {typed.time}, "date": {time.Now().Format(time.DateOnly)}, "visible": {"1"}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Errorf("action with time %q = %d, want 303", typed.time, resp.StatusCode)
			}
		}
		as, _ := db.Actions(ctx, repair.StaffScope(), f.myCase.ID)
		if len(as) != 6 || as[0].Minutes != 90 || as[1].Minutes != 45 || as[0].TechnicianID != f.tech.ID {
			t.Errorf("actions = %+v", as)
		}
		bad := url.Values{"description": {"Bytt pump"}, "time": {"en stund"}, "date": {time.Now().Format(time.DateOnly)}}
		if resp := f.post(tech, base+"/atgard", bad); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("action with time %q = %d, want 422", "en stund", resp.StatusCode)
		} else if d := doc(t, resp); d.Find("#action-description").Text() != "Bytt pump" || d.Find("[data-testid=error-time]").Length() == 0 && !strings.Contains(d.Text(), "Ange tid") {
			t.Error("a refused action loses what was typed or does not say why")
		}
		part := url.Values{"kind": {"part"}, "article": {"EL-1234"}, "description": {"Avloppspump"}, "quantity": {"1"}, "unit_price": {"890"}, "visible": {"1"}}
		if resp := f.post(tech, base+"/kostnad", part); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("part = %d", resp.StatusCode)
		}
		d := doc(t, f.get(tech, base))
		if d.Find(`#parts-used option[value="EL-1234"]`).Length() != 1 {
			t.Error("the part picker does not offer the part used before")
		}
		if resp := f.post(tech, base+"/klar", url.Values{"outcome": {""}, "client_id": {"c2"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("finish = %d", resp.StatusCode)
		}
		if w, _ := db.WorkOrder(ctx, repair.StaffScope(), wo.ID); w.Status != repair.WorkOrderDone {
			t.Errorf("work order after finish = %s", w.Status)
		}
		// The fixture's own work order on the case is still open, so the
		// case is not yet Utförd.
		if c, _ := db.Case(ctx, repair.StaffScope(), f.myCase.ID); c.Status != repair.StatusInProgress {
			t.Errorf("case with another open visit = %s, want still in progress", c.Status)
		}
		// The customer sees the work live.
		body := doc(t, f.get(f.login(f.anna.Email), "/arenden/"+itoa(f.myCase.ID))).Text()
		if !strings.Contains(body, "Bytt pump") || !strings.Contains(body, "Avloppspump") {
			t.Error("the customer does not see the technician's action and part")
		}
	})
}

// TestTechnicianNoOneHome: a visit can end without work, with a note.
func TestTechnicianNoOneHome(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		wo := f.planFor(f.theirCase.ID, f.tech.ID, repair.Midnight(time.Now()).Add(8*time.Hour))
		tech := f.login(f.tech.Email)
		base := "/tekniker/arbetsorder/" + itoa(wo.ID)
		if resp := f.post(tech, base+"/klar", url.Values{"outcome": {string(repair.OutcomeNoOneHome)}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("no one home without a note = %d, want 422", resp.StatusCode)
		}
		if resp := f.post(tech, base+"/klar", url.Values{"outcome": {string(repair.OutcomeNoOneHome)}, "outcome_note": {"Ringde två gånger, ingen öppnade."}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("no one home with a note = %d, want 303", resp.StatusCode)
		}
		w, _ := db.WorkOrder(t.Context(), repair.StaffScope(), wo.ID)
		if w.Status != repair.WorkOrderDone || w.Outcome != repair.OutcomeNoOneHome || w.OutcomeNote == "" {
			t.Errorf("work order = %+v", w)
		}
		if resp := f.post(tech, base+"/reservdel", url.Values{"part_note": {"Pump"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("waiting for a part after the visit = %d", resp.StatusCode)
		}
	})
}

// TestTechnicianSigns: after the finish, the customer signs on the pad
// (the form carries the strokes as JSON) and the portal's Öppna fil
// signatur opens the note at once; without the pad, a photo of a signed
// paper does; the office can reopen the work order for a correction.
func TestTechnicianSigns(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		wo := f.planFor(f.myCase.ID, f.tech.ID, repair.Midnight(time.Now()).Add(8*time.Hour))
		tech := f.login(f.tech.Email)
		base := "/tekniker/arbetsorder/" + itoa(wo.ID)
		f.post(tech, base+"/atgard", url.Values{"description": {"Rensat filter"}, "time": {"30 min"}, "date": {time.Now().Format(time.DateOnly)}, "visible": {"1"}})
		if resp := f.post(tech, base+"/klar", url.Values{"outcome": {""}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("finish = %d", resp.StatusCode)
		}
		d := doc(t, f.get(tech, base))
		if d.Find("[data-testid=tech-sign-form] canvas[data-signature-pad]").Length() != 1 || d.Find(`input[name=paper][type=file]`).Length() != 1 {
			t.Fatal("the finished work order shows no sign form with a pad and a paper fallback")
		}
		sig := `{"width":300,"height":100,"strokes":[[[10,50],[40,20],[70,70],[100,30]]]}`
		empty := f.postMultipart(tech, base+"/signera", map[string]string{"outcome": "signed", "signer_name": "Åsa Ängström", "signature": ""}, nil)
		if empty.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("signed with an empty pad = %d, want 422", empty.StatusCode)
		}
		resp := f.postMultipart(tech, base+"/signera", map[string]string{"outcome": "signed", "signer_name": "Åsa Ängström", "signature": sig, "client_id": "s1"}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign = %d", resp.StatusCode)
		}
		// The customer's Sök ärende and case page link the signed note.
		anna := f.login(f.anna.Email)
		cd := doc(t, f.get(anna, "/arenden/"+itoa(f.myCase.ID)+"/filer"))
		var note string
		cd.Find("[data-testid=delivery-note]").Each(func(_ int, s *goquery.Selection) {
			if strings.Contains(s.Text(), wo.Number) {
				note, _ = s.Attr("href")
			}
		})
		if note == "" {
			t.Fatal("the customer does not see the signed note")
		}
		pdf := f.get(anna, note)
		if pdf.StatusCode != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("Öppna fil signatur = %d %s", pdf.StatusCode, pdf.Header.Get("Content-Type"))
		}
		// Locked for the technician and the office alike.
		if resp := f.post(tech, base+"/atgard", url.Values{"description": {"Mer"}, "time": {"5"}, "date": {time.Now().Format(time.DateOnly)}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("action after signing = %d, want 422", resp.StatusCode)
		}
		disp := f.login(f.disp.Email)
		od := doc(t, f.get(disp, "/order/arenden/"+itoa(f.myCase.ID)))
		if od.Find("[data-testid=wo-locked-"+itoa(wo.ID)+"]").Length() != 1 {
			t.Error("the office does not see that the work order is signed")
		}
		if resp := f.post(disp, "/order/arbetsorder/"+itoa(wo.ID)+"/oppna", url.Values{"reason": {""}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("reopen without a reason = %d, want 422", resp.StatusCode)
		}
		if resp := f.post(disp, "/order/arbetsorder/"+itoa(wo.ID)+"/oppna", url.Values{"reason": {"Fel tid"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("reopen = %d, want 303", resp.StatusCode)
		}

		// Without JavaScript: a photo of the signed paper.
		wo2 := f.planFor(f.theirCase.ID, f.tech.ID, repair.Midnight(time.Now()).Add(13*time.Hour))
		base2 := "/tekniker/arbetsorder/" + itoa(wo2.ID)
		f.post(tech, base2+"/klar", url.Values{"outcome": {string(repair.OutcomeNotRepaired)}, "outcome_note": {"Styrkort trasigt, beställs."}})
		resp = f.postMultipartFile(tech, base2+"/signera", map[string]string{"outcome": "signed", "signer_name": "Olle Öberg"}, "paper", "papper.png", pngBytes(t, 80, 60))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign on paper = %d", resp.StatusCode)
		}
		notes, _ := db.DeliveryNotes(t.Context(), repair.StaffScope(), wo2.ID)
		files, _ := db.CaseFiles(t.Context(), repair.StaffScope(), f.theirCase.ID)
		photos := 0
		for _, file := range files {
			if file.Kind == repair.FilePhoto && file.WorkOrderID == wo2.ID {
				photos++
			}
		}
		if len(notes) != 1 || notes[0].SignerName != "Olle Öberg" || photos != 1 {
			t.Errorf("paper signature: notes %+v, %d photos; want one note and the photo", notes, photos)
		}
		if len(notes) == 1 {
			nf, _ := db.File(t.Context(), repair.StaffScope(), notes[0].FileID)
			blob, err := f.files.Open(nf.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			pdf, _ := io.ReadAll(blob)
			blob.Close()
			if !bytes.Contains(pdf, []byte("/Subtype /Image")) {
				t.Error("the note signed on paper does not show the photo")
			}
		}
	})
}

// TestDoorCodeShownOnlyToThoseWhoNeedIt: the customer's people see the
// mask; a dispatcher and the technician on the case see the code when
// they ask, and each showing is in the audit log.
func TestDoorCodeShownOnlyToThoseWhoNeedIt(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		form := validCaseForm(f.formToken(anna))
		form.Set("access", "Portkod")
		form.Set("door_code", "8530")
		loc := f.post(anna, "/nytt-arende", form).Header.Get("Location")
		id := parseInt(strings.TrimPrefix(loc, "/arenden/"))
		if body := doc(t, f.get(anna, "/arenden/"+itoa(id))).Find("[data-testid=case-access]").Text(); !strings.Contains(body, "Portkod ••••") || strings.Contains(body, "8530") {
			t.Errorf("the customer's case page shows Huvudnyckel %q, want the mask", body)
		}
		disp := f.login(f.disp.Email)
		d := doc(t, f.get(disp, "/order/arenden/"+itoa(id)))
		if strings.Contains(d.Text(), "8530") || d.Find("[data-testid=reveal-access]").Length() != 1 {
			t.Error("the office's case page shows the code before it is asked for, or offers no Visa")
		}
		d = doc(t, f.post(disp, "/order/arenden/"+itoa(id)+"/huvudnyckel", url.Values{}))
		if got := d.Find("[data-testid=case-access]").Text(); !strings.Contains(got, "Portkod 8530") {
			t.Errorf("after Visa the office sees %q", got)
		}
		if !strings.Contains(d.Find("[data-testid=audit-log]").Text(), "Huvudnyckel visad") {
			t.Error("the showing is not in the audit log")
		}
		tech := f.login(f.tech.Email)
		wo := f.planFor(id, f.tech.ID, repair.Midnight(time.Now()).Add(8*time.Hour))
		base := "/tekniker/arbetsorder/" + itoa(wo.ID)
		if body := doc(t, f.get(tech, "/tekniker")).Text(); strings.Contains(body, "8530") {
			t.Error("the technician's list shows the code unasked")
		}
		if got := doc(t, f.post(tech, base+"/huvudnyckel", url.Values{})).Find("[data-testid=case-access]").Text(); !strings.Contains(got, "Portkod 8530") {
			t.Errorf("the technician at the door sees %q", got)
		}
		other := storetest.User(t, db, 0, repair.RoleTechnician, "annan@kundportal.example", f.hash)
		if resp := f.post(f.login(other.Email), base+"/huvudnyckel", url.Values{}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another technician asks for the code = %d, want 404", resp.StatusCode)
		}
	})
}

// TestDayHeading: the days around the clock changes are named right.
func TestDayHeading(t *testing.T) {
	for _, tc := range []struct{ today, day, want string }{
		{"2026-03-28", "2026-03-29", "I morgon, söndag 2026-03-29"}, // 23 hours to the next midnight
		{"2026-10-24", "2026-10-25", "I morgon, söndag 2026-10-25"}, // 25 hours
		{"2026-03-28", "2026-03-28", "I dag, lördag 2026-03-28"},
		{"2026-03-28", "2026-03-30", "Måndag 2026-03-30"},
		{"2026-03-28", "2026-03-27", "Tidigare, inte avslutade"},
	} {
		today, _ := time.ParseInLocation(time.DateOnly, tc.today, repair.Stockholm)
		day, _ := time.ParseInLocation(time.DateOnly, tc.day, repair.Stockholm)
		if got := dayHeading(day, today); got != tc.want {
			t.Errorf("dayHeading(%s, today %s) = %q, want %q", tc.day, tc.today, got, tc.want)
		}
	}
}
