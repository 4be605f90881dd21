package web

import (
	"kundportal/internal/repair"
	"kundportal/internal/upload"
	"net/http"
)

// form is one form of a page as the person sees it: its typed input — the
// record's current values, defaults, or what was entered when saving
// failed — and the messages for its fields. Every form of the site is shown
// again this way after a failed save: the handler parses the request into
// the operation's input, and on repair.FieldErrors puts that same input
// and the messages back into the page's form (status 422).
type form[T any] struct {
	// Name prefixes the fields' element ids ("edit-number"), so that several
	// forms on one page can share field names.
	Name   string
	In     T
	Errors repair.FieldErrors
}

// newForm is a form showing in, without messages.
func newForm[T any](name string, in T) form[T] {
	return form[T]{Name: name, In: in, Errors: repair.FieldErrors{}}
}

// failedForm is a form showing what was entered, with the messages.
func failedForm[T any](name string, in T, fe repair.FieldErrors) form[T] {
	return form[T]{Name: name, In: in, Errors: fe}
}

// Failed reports whether the form was sent and refused.
func (f form[T]) Failed() bool { return len(f.Errors) > 0 }

// Err is the message for the field name, if any.
func (f form[T]) Err(name string) string { return f.Errors[name] }

// Field is a labelled field of the form: the shared field templates show
// its value, help and message.
func (f form[T]) Field(name, label, value, help string) fieldView {
	return fieldView{ID: f.Name + "-" + name, Name: name, Label: label, Value: value, Error: f.Errors[name], Help: help}
}

// fieldView is one labelled form field with its value, message and help,
// for the shared field templates. ID is the element id; it differs from
// Name where several forms on one page share field names.
type fieldView struct {
	ID, Name, Label, Value, Error, Help string
}

// newField is a field of a page's only form (ids without a prefix).
func newField(name, label, value string, errs repair.FieldErrors, help string) fieldView {
	return fieldView{ID: name, Name: name, Label: label, Value: value, Error: errs[name], Help: help}
}

// withoutPassword clears what must never be sent back to the browser.
func withoutPassword(in repair.UserInput) repair.UserInput {
	in.Password = ""
	return in
}

// answer ends a form's POST the one way every form does: when the
// operation refused the input, again shows the page with the form and its
// messages (status 422); another error is the handler's; success is a
// redirect to to (Post/Redirect/Get) carrying the confirmation flash, if any.
func (s *server) answer(w http.ResponseWriter, r *http.Request, err error, to, flash string, again func(repair.FieldErrors) error) error {
	if fe, ok := fieldErrors(err); ok {
		return again(fe)
	}
	if err != nil {
		return err
	}
	if flash != "" {
		s.setFlash(w, r, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// parseUpload reads a multipart form of at most one upload's size and
// checks its values as checkInput checks every other form's; the caller
// defers the returned cleanup, which removes the form's temporary files.
// The error is for upload.Message.
func parseUpload(w http.ResponseWriter, r *http.Request) (cleanup func(), err error) {
	r.Body = http.MaxBytesReader(w, r.Body, upload.MaxSize+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return func() {}, err
	}
	cleanMultipart(r)
	return func() { r.MultipartForm.RemoveAll() }, nil
}
