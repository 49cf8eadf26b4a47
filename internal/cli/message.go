package cli

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"strings"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/sharing"
)

// The request format (R1.9). A sharing request is an RFC 5322 message: its From header is the
// sender (the requester is the user with that email, R1.3, and the address must be a clinic's
// address on file, R1.4), its Date header when it was sent, its Message-ID the reference kept.
// Its plain-text body names what it asks for in lines of the form "Key: value", anywhere in the
// body, case-insensitive keys, the first of each key counting, quoted lines ("> ...") ignored:
//
//	Action: enable            enable (the default) or remove
//	Clinics: North, South     the clinics, by name or id, comma-separated ("Clinic:" too)
//	Mode: automatic           automatic or manual: the mode of a new group (enable only)
const requestFormat = `The message names what it asks for in lines of its plain-text body:

	Action: enable            enable (the default) or remove
	Clinics: North, South     the clinics, by name or id, comma-separated
	Mode: automatic           automatic or manual (enable only)
`

// message is a sharing request read from an email message.
type message struct {
	Raw       []byte
	From      string // the From header as written
	FromName  string
	FromAddr  string // the addr-spec, normalized
	Date      time.Time
	Subject   string
	MessageID string
	Action    sharing.Action
	Clinics   []string
	Mode      vetshare.Mode
}

// readMessage reads and parses the message in file.
func readMessage(file string) (*message, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	m, err := parseMessage(raw)
	if err != nil {
		return nil, usageErr("%s: %v", file, err)
	}
	return m, nil
}

// parseMessage reads a request from a raw message; an error says what is missing.
func parseMessage(raw []byte) (*message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("not an email message: %v", err)
	}
	m := &message{Raw: raw, Subject: msg.Header.Get("Subject"), MessageID: strings.TrimSpace(msg.Header.Get("Message-Id"))}
	m.From = msg.Header.Get("From")
	addrs, err := mail.ParseAddressList(m.From)
	if err != nil || len(addrs) != 1 {
		return nil, fmt.Errorf("the From header %q is not one address", m.From)
	}
	m.FromName = addrs[0].Name
	if m.FromAddr, err = vetshare.NormalizeEmail("From", addrs[0].Address); err != nil {
		return nil, fmt.Errorf("the From header %q is not one address", m.From)
	}
	if m.Date, err = msg.Header.Date(); err != nil {
		return nil, fmt.Errorf("the message has no valid Date header")
	}
	m.Date = m.Date.UTC()
	body, err := plainText(msg.Header, msg.Body)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, ">") {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		if key == "clinic" {
			key = "clinics"
		}
		if seen[key] {
			continue
		}
		switch key {
		case "action":
			m.Action = sharing.Action(strings.ToLower(value))
		case "clinics":
			for _, c := range strings.Split(value, ",") {
				if c = strings.TrimSpace(c); c != "" {
					m.Clinics = append(m.Clinics, c)
				}
			}
		case "mode":
			m.Mode = vetshare.Mode(strings.ToLower(value))
		default:
			continue
		}
		seen[key] = true
	}
	if m.Action == "" {
		m.Action = sharing.ActionEnable
	}
	if m.Action != sharing.ActionEnable && m.Action != sharing.ActionRemove {
		return nil, fmt.Errorf("the message asks to %q: the action is enable or remove", m.Action)
	}
	if len(m.Clinics) == 0 {
		return nil, fmt.Errorf("the message names no clinics: it needs a line such as \"Clinics: North, South\"\n\n%s", requestFormat)
	}
	return m, nil
}

// plainText returns the first text/plain part of a message body, decoded.
func plainText(h mail.Header, body io.Reader) (string, error) {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", fmt.Errorf("the message's Content-Type %q: %v", ct, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return "", fmt.Errorf("the message has no plain-text part")
			}
			if t, err := plainText(mail.Header(p.Header), p); err == nil {
				return t, nil
			}
		}
	}
	if mt != "text/plain" {
		return "", fmt.Errorf("the message has no plain-text part")
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	return string(b), err
}

// The ways a message's signature fails (R1.9). A *SignatureError matches one of them and
// sharing.ErrSignatureInvalid with errors.Is.
var (
	ErrUnsigned        = errors.New("the message is not signed (it has no DKIM signature)")
	ErrHeaderAltered   = errors.New("the message's signed headers, such as From, were changed after it was signed")
	ErrBodyAltered     = errors.New("the message's body was changed after it was signed")
	ErrOtherDomain     = errors.New("the message is signed by another domain than the sender's")
	ErrSignatureBroken = errors.New("the message's signature cannot be verified")
	ErrSignatureLater  = errors.New("the message's signature cannot be checked now (the key is unavailable)")
)

// SignatureError is why a message's DKIM signature does not verify for its sender's domain.
type SignatureError struct {
	Kind   error  // one of the Err variables above
	Domain string // the signing domain, where there is a signature
	Detail string // the verifier's words, where they add something
}

func (e *SignatureError) Error() string {
	s := e.Kind.Error()
	if e.Domain != "" && e.Kind != ErrUnsigned {
		s += " (signed by " + e.Domain + ")"
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the kind and sharing.ErrSignatureInvalid.
func (e *SignatureError) Unwrap() []error { return []error{e.Kind, sharing.ErrSignatureInvalid} }

// signature is the result of checking a message's DKIM signatures for its sender's domain.
type signature struct {
	Verified bool   `json:"verified"`
	Result   string `json:"result"` // pass, unsigned, header-altered, body-altered, other-domain, broken, unavailable
	Domain   string `json:"domain,omitempty"`
	Selector string `json:"selector,omitempty"`
	Words    string `json:"words"`
	Err      error  `json:"-"` // a *SignatureError when not verified
}

var resultOf = map[error]string{
	ErrUnsigned: "unsigned", ErrHeaderAltered: "header-altered", ErrBodyAltered: "body-altered",
	ErrOtherDomain: "other-domain", ErrSignatureBroken: "broken", ErrSignatureLater: "unavailable",
}

// verifySignature checks the message's DKIM signatures: it verifies when one signature of the
// sender's domain (or a parent domain of it) verifies. lookup finds the keys' TXT records; nil
// uses DNS.
func verifySignature(m *message, lookup func(string) ([]string, error)) signature {
	_, fromDomain, _ := strings.Cut(m.FromAddr, "@")
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(m.Raw), &dkim.VerifyOptions{LookupTXT: lookup, MaxVerifications: 10})
	fail := func(kind error, domain, detail string) signature {
		se := &SignatureError{Kind: kind, Domain: domain, Detail: detail}
		return signature{Result: resultOf[kind], Domain: domain, Words: se.Error(), Err: se}
	}
	if err != nil && len(vs) == 0 {
		return fail(ErrSignatureBroken, "", err.Error())
	}
	if len(vs) == 0 {
		return fail(ErrUnsigned, "", "")
	}
	aligned := func(d string) bool {
		d = strings.ToLower(d)
		return d == fromDomain || strings.HasSuffix(fromDomain, "."+d)
	}
	selectors := selectorsOf(m.Raw)
	// A verified signature of the sender's domain wins; else the most telling failure.
	for _, v := range vs {
		if v.Err == nil && aligned(v.Domain) {
			s := signature{Verified: true, Result: "pass", Domain: v.Domain, Selector: selectors[strings.ToLower(v.Domain)]}
			s.Words = "verified for " + v.Domain
			if s.Selector != "" {
				s.Words += " (selector " + s.Selector + ")"
			}
			return s
		}
	}
	for _, v := range vs {
		if v.Err == nil || !aligned(v.Domain) {
			continue
		}
		msg := v.Err.Error()
		switch {
		case strings.Contains(msg, "body hash did not verify"):
			return fail(ErrBodyAltered, v.Domain, "")
		case strings.Contains(msg, "signature did not verify"):
			return fail(ErrHeaderAltered, v.Domain, "")
		case dkim.IsTempFail(v.Err):
			return fail(ErrSignatureLater, v.Domain, msg)
		default:
			return fail(ErrSignatureBroken, v.Domain, msg)
		}
	}
	// No signature claims the sender's domain. A valid one of another domain says who sent it.
	for _, v := range vs {
		if v.Err == nil {
			return fail(ErrOtherDomain, v.Domain, "the sender is at "+fromDomain)
		}
	}
	// Signatures of other domains that do not verify either: the From was likely changed.
	v := vs[0]
	if strings.Contains(v.Err.Error(), "signature did not verify") {
		return fail(ErrHeaderAltered, v.Domain, "the sender is at "+fromDomain)
	}
	if strings.Contains(v.Err.Error(), "body hash did not verify") {
		return fail(ErrBodyAltered, v.Domain, "")
	}
	return fail(ErrSignatureBroken, v.Domain, v.Err.Error())
}

// selectorsOf returns the selector of each signing domain (lower case) of raw's DKIM-Signature
// headers, for the record.
func selectorsOf(raw []byte) map[string]string {
	out := map[string]string{}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return out
	}
	for _, h := range msg.Header["Dkim-Signature"] {
		tags := map[string]string{}
		for _, t := range strings.Split(h, ";") {
			k, v, _ := strings.Cut(t, "=")
			tags[strings.TrimSpace(k)] = strings.Join(strings.Fields(v), "")
		}
		if d := strings.ToLower(tags["d"]); d != "" {
			out[d] = tags["s"]
		}
	}
	return out
}

// readKeys reads a --dkim-keys file: one key a line, the record's name then its TXT value,
//
//	s1._domainkey.north.example v=DKIM1; k=ed25519; p=...
//
// blank lines and lines starting with # ignored. The lookup it returns answers from the file
// only: a name it lacks has no key.
func readKeys(file string) (func(string) ([]string, error), error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	keys := map[string]string{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			return nil, usageErr("%s:%d: want a record name and its TXT value", file, i+1)
		}
		keys[strings.ToLower(strings.TrimSuffix(name, "."))] = strings.TrimSpace(value)
	}
	return func(name string) ([]string, error) {
		if v, ok := keys[strings.ToLower(strings.TrimSuffix(name, "."))]; ok {
			return []string{v}, nil
		}
		return nil, fmt.Errorf("%s has no key %s", file, name)
	}, nil
}
