package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
)

// TestOfficeWeekView: from the Inkorg to the week of work orders, which
// starts on Monday and is named by its ISO week, and by its links to the
// next week and back; work-order numbers stay on one line, on a desktop
// and on a phone.
func TestOfficeWeekView(t *testing.T) {
	this := repair.WeekOf(time.Now())
	next := repair.WeekOf(this.End())
	for _, vp := range []Viewport{Desktop, Phone} {
		t.Run(fmt.Sprint(vp.Width), func(t *testing.T) {
			b := NewBrowserAt(t, vp)
			b.Visit(t, "/logga-in")
			b.Login(t, "disp@kundportal.example", demoPassword)
			b.Visit(t, "/order")
			b.Follow(t, "[data-testid=intake-week-link]")
			if got, want := b.Text(t, "[data-testid=week-label]"), fmt.Sprintf("Vecka %d", this.WeekNumber()); got != want {
				t.Errorf("the week view shows %q, want %q", got, want)
			}
			// The week runs Monday to Sunday: the date field shows its
			// Monday, and every day listed lies within it.
			if got, want := b.Value(t, "#fran"), this.Start.Format(time.DateOnly); got != want {
				t.Errorf("the week shown starts %s, want Monday %s", got, want)
			}
			monday, sunday := this.Start.Format(time.DateOnly), this.End().AddDate(0, 0, -1).Format(time.DateOnly)
			for _, day := range Eval[[]string](t, b, `[...document.querySelectorAll('[data-testid=day-heading]')].map(h => h.textContent)`) {
				if d := day[strings.LastIndex(day, " ")+1:]; d < monday || d > sunday {
					t.Errorf("day %q is outside the week %s – %s", day, monday, sunday)
				}
			}
			oneLine(t, b)
			b.Follow(t, "[data-testid=week-next]")
			if got, want := b.Text(t, "[data-testid=week-label]"), fmt.Sprintf("Vecka %d", next.WeekNumber()); got != want {
				t.Errorf("after Nästa vecka: %q, want %q", got, want)
			}
			if got, want := b.Path(t), "/order/arbetsorder?vecka="+next.ISOWeek(); got != want {
				t.Errorf("after Nästa vecka the address is %q, want %q", got, want)
			}
			b.Follow(t, "[data-testid=week-this]")
			if got := b.Count(t, "[data-testid=week-this][aria-current=page]"); got != 1 {
				t.Error("after Denna vecka, Denna vecka is not marked as the week shown")
			}
			if vp.Mobile {
				noHorizontalScroll(t, b)
			}
			for _, sel := range []string{"week-prev", "week-this", "week-next"} {
				if h := Eval[float64](t, b, `document.querySelector('[data-testid=`+sel+`]').getBoundingClientRect().height`); h < 44 {
					t.Errorf("%s is %.0f px tall, want a target of at least 44 px", sel, h)
				}
			}
			if b.Visit(t, "/order/arbetsorder?vecka=2026-W99") != 400 {
				t.Error("a week that does not exist is not answered 400")
			}
			if msg := b.Text(t, "[data-testid=error-summary]"); !strings.Contains(msg, "Visar denna vecka") {
				t.Errorf("message for a bad week = %q", msg)
			}
		})
	}
}

// oneLine fails the test if a work-order number on the page breaks
// across lines.
func oneLine(t *testing.T, b *Browser) {
	t.Helper()
	broken := Eval[[]string](t, b, `[...document.querySelectorAll('[data-testid=work-order-number]')].filter(td => {
		const r = document.createRange();
		r.selectNodeContents(td);
		return new Set([...r.getClientRects()].map(c => Math.round(c.top))).size > 1;
	}).map(td => td.textContent)`)
	if n := b.Count(t, "[data-testid=work-order-number]"); n == 0 {
		t.Fatal("the week view lists no work orders to check")
	}
	if len(broken) > 0 {
		t.Errorf("work-order numbers broken across lines: %q", broken)
	}
}

// TestOfficeBackLinkAndSpacing: a back link is a target of at least 44
// px, set apart from the navigation's Logga ut, and headings do not touch
// the header bar.
func TestOfficeBackLinkAndSpacing(t *testing.T) {
	for _, vp := range []Viewport{Desktop, Phone} {
		t.Run(fmt.Sprint(vp.Width), func(t *testing.T) {
			b := NewBrowserAt(t, vp)
			b.Visit(t, "/logga-in")
			b.Login(t, "disp@kundportal.example", demoPassword)
			b.Visit(t, "/order")
			b.Follow(t, `[data-testid=intake-list] a[href^="/order/arenden/"]`)
			type box struct{ Top, Bottom, Height float64 }
			rect := func(sel string) box {
				return Eval[box](t, b, `(() => { const r = document.querySelector(`+"`"+sel+"`"+`).getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: r.height}; })()`)
			}
			back, logout, header := rect(".crumbs > a"), rect("[data-testid=nav-logga-ut]"), rect("header.site")
			if back.Height < 44 {
				t.Errorf("← Tillbaka is %.0f px tall, want at least 44", back.Height)
			}
			if gap := back.Top - logout.Bottom; gap < 8 {
				t.Errorf("← Tillbaka is %.0f px below Logga ut, want at least 8", gap)
			}
			b.Visit(t, "/order/arbetsorder")
			if gap := rect("main h1").Top - header.Bottom; gap < 16 {
				t.Errorf("the heading is %.0f px below the header bar, want at least 16", gap)
			}
		})
	}
}
