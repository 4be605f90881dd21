package web

import (
	"net/http"
)

// A flash is the confirmation a saved form's redirect carries to the page
// after it: a short-lived cookie holding a key of flashMessages (never
// text from the request), read and cleared by the next page rendered, so
// it shows once and not again on reload or from a bookmark.
const flashCookie = "kp_flash"

// flashMessages are the confirmations by key. An empty message is a flash
// that a page shows in its own way (the new case's thank-you).
var flashMessages = map[string]string{
	"ny-arende":           "",
	"arende":              "Ärendet är registrerat.",
	"status":              "Statusen är ändrad.",
	"arbetsorder":         "Arbetsordern är planerad.",
	"arbetsorder-status":  "Arbetsorderns status är ändrad.",
	"arbetsorder-oppnad":  "Arbetsordern är öppnad för rättelse. Följesedeln signeras på nytt när den är klar.",
	"atgard":              "Åtgärden är sparad.",
	"kostnad":             "Kostnaden är sparad.",
	"fil":                 "Filen är uppladdad.",
	"kund":                "Kunden är sparad.",
	"kund-ny":             "Kunden är upplagd.",
	"inloggning":          "Inloggningen är skapad. Personen byter startlösenordet vid första inloggningen.",
	"losenord":            "Ett nytt startlösenord är satt och personens inloggningar är avslutade.",
	"inloggning-sparrad":  "Inloggningen är ändrad.",
	"avtal":               "Avtalet är sparat.",
	"objekt":              "Objektet är sparat.",
	"objekt-nytt":         "Objektet är tillagt.",
	"kund-information":    "Tack! Informationen är tillagd i ärendet.",
	"avbrutet":            "Ärendet är avbrutet.",
	"sett":                "Markerat som läst.",
	"faktura":             "Fakturan är skapad.",
	"kreditfaktura":       "Kreditfakturan är skapad.",
	"personal":            "Personalen är sparad.",
	"utskick":             "Brevet skickas på nytt.",
	"e-post":              "Dina val av e-post är sparade.",
	"inbjudan":            "Inbjudan är skickad.",
	"roll":                "Rollen är ändrad.",
	"tvastegs-av":         "Tvåstegsverifieringen är avstängd.",
	"tvastegs-aterstalld": "Tvåstegsverifieringen är återställd. Personen ställer in den på nytt vid nästa inloggning.",
}

// setFlash makes the next page show the confirmation with key.
func (s *server) setFlash(w http.ResponseWriter, r *http.Request, key string) {
	if _, ok := flashMessages[key]; !ok {
		panic("web: unknown flash " + key)
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: s.secureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// takeFlash returns the pending confirmation's key, if any, and clears it.
func (s *server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	if _, ok := flashMessages[c.Value]; !ok {
		return ""
	}
	return c.Value
}

// flashPage is a page that shows confirmations: every page with basePage.
type flashPage interface{ base() *basePage }

func (b *basePage) base() *basePage { return b }
