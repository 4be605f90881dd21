package web

import (
	"cmp"
	"html/template"
	"strconv"
	"strings"
	"sync"
)

// Sök ärende's filter form is the larger part of the page's template
// work: some 150 values, each through html/template's escaper by
// reflection, although the form is the same for every search with the
// same filters and the same lists to choose from. A page of results
// therefore takes the form rendered once and kept here, keyed by all it
// shows; the rows and the count are always the page's own.

// maxForms bounds the forms kept; when it is reached they are all
// dropped, to be rendered again as asked for.
const maxForms = 256

// formCache keeps rendered forms, or other parts of a page, by what they
// show.
type formCache struct {
	mu   sync.Mutex
	m    map[string]template.HTML
	size int // the most kept, maxForms if 0
}

// get returns the form kept under key, or renders it with render and
// keeps it. A render that fails is not kept.
func (c *formCache) get(key string, render func() (template.HTML, error)) (template.HTML, error) {
	c.mu.Lock()
	h, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := render()
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cmp.Or(c.size, maxForms) {
		c.m = map[string]template.HTML{}
	}
	c.m[key] = h
	return h, nil
}

// staffSearchFormKey is everything the office's filter form shows: the
// filters and the customers and technicians it offers. A form with errors
// is not kept.
func staffSearchFormKey(p *staffSearchPage) (string, bool) {
	b, ok := filtersKey(&p.searchPage)
	if !ok {
		return "", false
	}
	for _, c := range p.Customers {
		b.WriteString("\x01" + strconv.FormatInt(c.ID, 10) + "\x00" + c.Name + "\x00" + c.Number)
	}
	for _, u := range p.Technicians {
		b.WriteString("\x02" + strconv.FormatInt(u.ID, 10) + "\x00" + u.Name)
	}
	return b.String(), true
}

// filtersKey starts a form's key with the search's filters, sort order
// included, which the form keeps in hidden fields; a form with errors
// has no key.
func filtersKey(p *searchPage) (*strings.Builder, bool) {
	if len(p.Errors) > 0 {
		return nil, false
	}
	b := &strings.Builder{}
	b.WriteString(p.Form.values().Encode())
	b.WriteString("\x00")
	b.WriteString(p.Form.Sort) // values() leaves out the default order; the hidden field does not
	return b, true
}

// searchFormKey is everything the portal's filter form shows: the
// filters (sort order included, which the form keeps in hidden fields)
// and the lists it offers. A form with errors is not kept: it has no key.
func searchFormKey(p *searchPage) (string, bool) {
	b, ok := filtersKey(p)
	if !ok {
		return "", false
	}
	for _, list := range [][]string{p.InvoiceRefs, p.Streets} {
		b.WriteString("\x01")
		for _, v := range list {
			b.WriteString(v)
			b.WriteString("\x00")
		}
	}
	if p.ManyStreets {
		b.WriteString("\x02")
	}
	return b.String(), true
}
