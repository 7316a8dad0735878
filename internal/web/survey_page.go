package web

import (
	"bytes"
	"html"
	"regexp"
	"sort"
)

// A questionnaire page is rendered once per form and cached: every copy of the form shows the
// same page but for a few values (its token, code, submission id, draft revision, a note about
// its draft), which the cached page marks and each request fills in. A page restored from a
// draft is the same cached page with " checked" written after each answer the draft holds, so
// that a restored page costs a copy, not a rendering of hundreds of answer buttons.

// The marks stand for what differs per copy in the page rendered once per form; they are plain
// letters and digits so that no HTML or URL escaping changes them.
const (
	tokenMark = "ps9TOKEN9ps"
	sidMark   = "ps9SID9ps"
	codeMark  = "ps9CODE9ps"
	revMark   = "ps9REV9ps"
	noteMark  = "ps9NOTE9ps"
)

// segment is a piece of a cached page followed by the value of one slot (slotNone at the end);
// after a slotInput piece comes " checked" when the copy's answer for name is value.
type segment struct {
	text        []byte
	slot        int
	name, value string
}

const (
	slotNone = iota
	slotToken
	slotSID
	slotCode
	slotRev
	slotNote
	slotInput
	// slotText is an open answer's text box: the copy's text follows its opening tag.
	slotText
)

var (
	marks     = regexp.MustCompile(`ps9(TOKEN|SID|CODE|REV|NOTE)9ps`)
	markSlots = map[string]int{tokenMark: slotToken, sidMark: slotSID, codeMark: slotCode, revMark: slotRev, noteMark: slotNote}
	// answerInput is how templates/survey.html writes an answer's button or box.
	answerInput = regexp.MustCompile(`<input type="(?:radio|checkbox)" name="([^"]+)" value="([^"]+)"`)
	// answerText is how it writes an open question's text box, empty in the cached page.
	answerText = regexp.MustCompile(`<textarea name="([^"]+)"[^>]*>`)
)

// cut splits a rendered page at its marks and, with inputs, after every answer's input too.
func cut(page []byte, inputs bool) []segment {
	type cutAt struct {
		from, to    int
		slot        int
		name, value string
	}
	var at []cutAt
	for _, m := range marks.FindAllIndex(page, -1) {
		at = append(at, cutAt{from: m[0], to: m[1], slot: markSlots[string(page[m[0]:m[1]])]})
	}
	if inputs {
		for _, m := range answerInput.FindAllSubmatchIndex(page, -1) {
			at = append(at, cutAt{from: m[1], to: m[1], slot: slotInput,
				name: html.UnescapeString(string(page[m[2]:m[3]])), value: html.UnescapeString(string(page[m[4]:m[5]]))})
		}
		for _, m := range answerText.FindAllSubmatchIndex(page, -1) {
			at = append(at, cutAt{from: m[1], to: m[1], slot: slotText, name: html.UnescapeString(string(page[m[2]:m[3]]))})
		}
		sort.SliceStable(at, func(i, j int) bool { return at[i].from < at[j].from })
	}
	var out []segment
	last := 0
	for _, c := range at {
		out = append(out, segment{text: page[last:c.from], slot: c.slot, name: c.name, value: c.value})
		last = c.to
	}
	return append(out, segment{text: page[last:]})
}

// copyValues are what one copy's page holds beyond the form's own.
type copyValues struct {
	token, code, sid string
	rev              string // "0" when the form has no draft
	note             []byte // the note about the draft, rendered (draft-note in survey.html)
	answers          map[string]string
}

// slot is the value a copy gives a slot.
func (v *copyValues) slot(slot int) []byte {
	switch slot {
	case slotToken:
		return []byte(v.token)
	case slotSID:
		return []byte(v.sid)
	case slotCode:
		return []byte(v.code)
	case slotRev:
		if v.rev == "" {
			return []byte("0")
		}
		return []byte(v.rev)
	case slotNote:
		return v.note
	}
	return nil
}

// writeCopy writes segments filled with a copy's values.
func writeCopy(buf *bytes.Buffer, segs []segment, v *copyValues) {
	for _, seg := range segs {
		buf.Write(seg.text)
		if seg.slot == slotInput {
			if v.answers[seg.name] == seg.value {
				buf.WriteString(" checked")
			}
			continue
		}
		if seg.slot == slotText {
			buf.WriteString(html.EscapeString(v.answers[seg.name]))
			continue
		}
		buf.Write(v.slot(seg.slot))
	}
}

// write fills the cached page with one copy's token, code and a fresh submission id.
func (sf *surveyForm) write(buf *bytes.Buffer, token, code, sid string) {
	writeCopy(buf, sf.page, &copyValues{token: token, code: code, sid: sid})
}
