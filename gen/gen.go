// Package gen builds a realistic multi-location data set through the public operations of
// vetshare, deterministically from a seed, for benchmarks, demonstrations and load tests.
//
// A data set has several owners. One ("big") has ten accounts in a manual share group and most
// of the clients; one ("auto") has ten accounts in an automatic group; one ("backfill") has an
// account full of historical clients and spare accounts outside any group, for bulk backfills;
// the others have 1 to 20 accounts each, in a group of either mode or in none. Clients get
// realistic names (with accents and many shared surnames), contact details, one to four
// patients of several species, and visits spread over years, each adding medical records from
// the account visited: mostly the client's own, sometimes another location that shares the
// client (in a manual group it is shared with sharing.ShareClient first). Each account has a
// catalogue (vaccines with reminder rules, a tracked drug, a service) with stock and, in most
// groups, disable-reminder actions for the other accounts' vaccines; visits give vaccines
// (records.AddUsage: stock, reminders), are invoiced and mostly paid at the counter, and leave
// follow-up tasks; the big owner also has a backlog of tasks over its ten accounts, with task
// sharing on.
//
// Everything is written with the operations (accounts.CreateAccount, records.CreateClient,
// sharing.ShareClient, records.AddRecord, ...), as a host importing its data would, many of
// them batched in one transaction. The store's clock is driven by the generator ([vetshare.TickClock]) so
// that a transaction's time is the simulated time of what it records.
//
// # Determinism
//
// The same seed, size and batch give the same data: the same owners, accounts, names, numbers,
// patients, records and times. Only ids differ, since [vetshare.NewID] draws random bits.
//
// # Memory
//
// Clients are made a chunk at a time ([Config.Batch]); a chunk's visits are planned, written and
// forgotten before the next chunk begins, so memory does not grow with the number of clients.
//
// # Domains
//
// Each area of the library adds its data as one [domain]: a hook run once per owner after its
// accounts exist (a catalogue, say) and a hook run at every visit.
package gen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/sqlite"
)

// Size is the shape of a data set.
type Size struct {
	Name string
	// BigClients is the number of clients of the big owner: ten accounts in a manual group.
	BigClients int
	// AutoClients is the number of clients of the owner with ten accounts in an automatic group.
	AutoClients int
	// Owners is the number of further owners, of 1 to 20 accounts each, and OwnerClients the
	// clients of each.
	Owners, OwnerClients int
	// Backfill is the number of historical clients of the backfill owner's first account, and
	// Spare the number of its accounts outside any group (one is joined per backfill).
	Backfill, Spare int
	// Fixtures is the number of clients of the big owner's first account made for ShareClient,
	// with a small history (3 patients, 6 records) and as many with a huge one (3 patients,
	// HugeRecords records), none shared with the big owner's second account. Each share the
	// bench times uses one up, a third of them a side, so at 1M there are enough for 245
	// samples a side in each of two runs: a p99 of fewer samples is one or two of them.
	Fixtures, HugeRecords int
	// Years is the span of the history.
	Years int
	// DomainRate is the share of the big owner's visits that also get the rows of the further
	// domains (usages, invoices, tasks); every other owner's visits get them all. It keeps the
	// 1M data set buildable in tens of minutes. 0 means 1.
	DomainRate float64
	// Tasks is the number of tasks of the big owner's backlog, over its ten accounts.
	Tasks int
}

// Sizes returns the named sizes, smallest first.
func Sizes() []Size { return []Size{sizes[0], sizes[1], sizes[2]} }

var sizes = [...]Size{
	{Name: "small", BigClients: 2000, AutoClients: 500, Owners: 3, OwnerClients: 100, Backfill: 2000, Spare: 10, Fixtures: 30, HugeRecords: 600, Years: 3, DomainRate: 1, Tasks: 2000},
	{Name: "medium", BigClients: 100_000, AutoClients: 10_000, Owners: 10, OwnerClients: 1000, Backfill: 100_000, Spare: 10, Fixtures: 200, HugeRecords: 600, Years: 4, DomainRate: 0.5, Tasks: 100_000},
	{Name: "1M", BigClients: 1_000_000, AutoClients: 20_000, Owners: 10, OwnerClients: 1000, Backfill: 100_000, Spare: 10, Fixtures: 1500, HugeRecords: 600, Years: 4, DomainRate: 0.1, Tasks: 1_000_000},
}

// SizeNamed returns the size with that name.
func SizeNamed(name string) (Size, bool) {
	for _, s := range sizes {
		if strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return Size{}, false
}

// Config configures [Generate].
type Config struct {
	Seed int64
	Size Size
	// Batch is the number of clients made per transaction; 0 means 1000.
	Batch int
	// Progress, when set, is called every couple of seconds and at the end of each step.
	Progress func(Progress)
	// ProgressEvery is how often Progress is called; 0 means 2 seconds.
	ProgressEvery time.Duration
}

// Progress says how far a generation has come.
type Progress struct {
	Step    string
	Done    int // clients of the step made so far
	Of      int // clients of the step
	Counts  Counts
	Elapsed time.Duration
	// RSS is the resident memory of the process now, in bytes (0 where the system does not
	// tell).
	RSS int64
}

// Rows returns the rows written so far, estimated from the counts.
func (p Progress) Rows() int64 { return p.Counts.Rows() }

func (p Progress) String() string {
	s := p.Elapsed.Seconds()
	return fmt.Sprintf("%-10s %8d/%-8d clients %9d patients %9d records %10d rows %8.0f rows/s  %4d MiB  %s",
		p.Step, p.Done, p.Of, p.Counts.Patients, p.Counts.Records, p.Rows(), float64(p.Rows())/max(s, 1e-9), p.RSS>>20, p.Elapsed.Round(time.Second))
}

// Counts counts what a generation made. Rows counts every row written, audit entries included.
type Counts struct {
	Owners, Accounts, Users, Memberships, Groups int64
	Clients, Entries, Patients, Records          int64
	Audit                                        int64
	Domain                                       map[string]int64 `json:",omitempty"` // rows of each further domain
	Ops                                          int64            // operations run
	Txs                                          int64            // transactions committed
	// Tables are the rows of each table, counted at the end by [GenerateFile]; the other
	// counts are the generator's own, kept as it goes.
	Tables map[string]int64 `json:",omitempty"`
}

// Rows returns the number of rows written: the rows of Tables when they were counted, else
// the sum of the counts.
func (c Counts) Rows() int64 {
	if len(c.Tables) > 0 {
		var n int64
		for _, t := range c.Tables {
			n += t
		}
		return n
	}
	n := c.Owners + c.Accounts + c.Users + c.Memberships + c.Groups + c.Clients + c.Entries + c.Patients + c.Records + c.Audit
	for _, d := range c.Domain {
		n += d
	}
	return n
}

// Owner is an owner of the data set, with its accounts and users.
type Owner struct {
	Role string // "big", "auto", "backfill" or "other"
	ID   vetshare.OwnerID
	Name string
	// Mode is the mode of the owner's group; empty when it has none.
	Mode  vetshare.Mode
	Group vetshare.GroupID
	// Accounts are the owner's accounts; the first Grouped are in the group.
	Accounts []vetshare.AccountID
	Emails   []string
	Grouped  int
	// Admin has the owner role and every permission in every account.
	Admin vetshare.UserID
	// Staff are, per account, users with a staff membership there only.
	Staff [][]vetshare.UserID
	// Roaming are users with a staff membership in every account.
	Roaming []vetshare.UserID
	// Clients is the number of clients made for the owner.
	Clients int
	// Currency is the currency of every account of the owner.
	Currency string
	// Items are, per account, the catalogue the inventory domain made, by item name.
	Items []map[string]vetshare.ItemID `json:",omitempty"`
}

// Actor returns the admin acting from account i.
func (o *Owner) Actor(i int) vetshare.Actor {
	return vetshare.Actor{User: o.Admin, Account: o.Accounts[i]}
}

// EnableRequest returns a written request of the admin to share the accounts, sent from the
// first one's address on file.
func (o *Owner) EnableRequest(mode vetshare.Mode, idx ...int) sharing.Request {
	req := sharing.Request{Action: sharing.ActionEnable, Mode: mode, Requester: o.Admin, Channel: sharing.ChannelEmail,
		From: `"Front Desk" <` + o.Emails[idx[0]] + `>`, Reference: "gen"}
	for _, i := range idx {
		req.Accounts = append(req.Accounts, o.Accounts[i])
	}
	return req
}

// PatientRef is a patient of the data set and the index of the account that created it.
type PatientRef struct {
	Patient vetshare.PatientID
	Client  vetshare.ClientID
	Origin  int
}

// Manifest describes a generated data set: what a benchmark needs to find its way in it.
type Manifest struct {
	Seed       int64
	Size       Size
	Start, End time.Time
	Owners     []*Owner
	// Big, Auto and Backfill index Owners.
	Big, Auto, Backfill int
	// ShareSmall and ShareHuge are the ShareClient fixtures (see [Size.Fixtures]).
	ShareSmall, ShareHuge []vetshare.ClientID
	// History are patients of the auto owner with several records, for reads from another
	// account than their origin.
	History []PatientRef
	Counts  Counts
	Elapsed time.Duration
	// PeakRSS is the peak resident memory of the process at the end, in bytes (0 where the
	// system does not tell).
	PeakRSS int64
}

// End returns the end of every generated history: the data set looks as it would on that day.
func End() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// GenerateFile creates a new SQLite database at path (which must not exist) and generates a
// data set in it.
func GenerateFile(ctx context.Context, path string, cfg Config) (*Manifest, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("gen: %s exists", path)
	}
	clk := &vetshare.TickClock{}
	// The generator is a host importing data: it opens its own pool, with a page cache big
	// enough for the indexes it fills (256 MiB; SQLite's default is 2 MiB).
	db, err := sql.Open("sqlite", sqlite.DSN(path, true)+"&_pragma=cache_size(-262144)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	st, err := sqlite.OpenDB(ctx, db, sqlite.WithClock(clk))
	if err != nil {
		return nil, err
	}
	m, err := Generate(ctx, st, clk, cfg)
	if err == nil {
		m.Counts.Tables, err = tableRows(ctx, db)
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return m, err
}

// tableRows counts the rows of every table of the database.
func tableRows(ctx context.Context, db *sql.DB) (map[string]int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'vetshare\_%' ESCAPE '\' AND name <> 'vetshare_schema'`)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	out := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM "`+n+`"`).Scan(&c); err != nil {
			return nil, err
		}
		out[strings.TrimPrefix(n, "vetshare_")] = c
	}
	return out, nil
}

// Generate builds a data set in st, whose clock must be clk.
func Generate(ctx context.Context, st vetshare.Store, clk *vetshare.TickClock, cfg Config) (*Manifest, error) {
	if cfg.Batch <= 0 {
		cfg.Batch = 1000
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = 2 * time.Second
	}
	sz := cfg.Size
	if sz.Years <= 0 {
		sz.Years = 1
	}
	g := &generator{st: st, clk: clk, cfg: cfg, began: time.Now()}
	g.m = &Manifest{Seed: cfg.Seed, Size: sz, End: End(), Start: End().AddDate(-sz.Years, 0, 0)}
	g.m.Counts.Domain = map[string]int64{}
	r := g.rand(0, 0)

	type plan struct {
		role     string
		accounts int
		spare    int
		mode     vetshare.Mode
		clients  int
	}
	plans := []plan{
		{"big", 10, 0, vetshare.ModeManual, sz.BigClients},
		{"auto", 10, 0, vetshare.ModeAutomatic, sz.AutoClients},
		{"backfill", 2, sz.Spare, "", sz.Backfill},
	}
	g.m.Big, g.m.Auto, g.m.Backfill = 0, 1, 2
	for range sz.Owners {
		n := 1 + r.IntN(20)
		var mode vetshare.Mode
		if n > 1 {
			mode = []vetshare.Mode{vetshare.ModeAutomatic, vetshare.ModeManual, ""}[r.IntN(3)]
		}
		plans = append(plans, plan{"other", n, 0, mode, sz.OwnerClients/2 + r.IntN(sz.OwnerClients+1)})
	}
	for i, p := range plans {
		o, err := g.makeOwner(ctx, i, p.role, p.accounts, p.spare, p.mode)
		if err != nil {
			return nil, err
		}
		o.Clients = p.clients
		g.m.Owners = append(g.m.Owners, o)
	}
	if err := g.warm(ctx); err != nil {
		return nil, err
	}
	for i, o := range g.m.Owners {
		if err := g.makeClients(ctx, i, o, o.Role != "backfill"); err != nil {
			return nil, err
		}
	}
	if err := g.makeFixtures(ctx); err != nil {
		return nil, err
	}
	for _, d := range domains {
		if d.after == nil {
			continue
		}
		if err := d.after(ctx, g); err != nil {
			return nil, fmt.Errorf("gen: %s: %w", d.name, err)
		}
	}
	g.m.Elapsed = time.Since(g.began)
	g.m.PeakRSS = PeakRSS()
	g.report("done", 0, 0, true)
	return g.m, nil
}

type generator struct {
	st    vetshare.Store
	clk   *vetshare.TickClock
	cfg   Config
	m     *Manifest
	began time.Time
	last  time.Time
	// payments numbers the payments made, for their idempotency keys.
	payments int64
}

// rand returns the random source of one part of the data set, so that each part is the same
// whichever parts come before it.
func (g *generator) rand(part, index uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.cfg.Seed), part<<40|index))
}

func (g *generator) report(step string, done, of int, force bool) {
	if g.cfg.Progress == nil || (!force && time.Since(g.last) < g.cfg.ProgressEvery) {
		return
	}
	g.last = time.Now()
	g.cfg.Progress(Progress{Step: step, Done: done, Of: of, Counts: g.m.Counts, Elapsed: time.Since(g.began), RSS: procStatus("VmRSS:")})
}

// update runs fn in a write transaction at simulated time at.
func (g *generator) update(ctx context.Context, at time.Time, fn func(tx *vetshare.Tx) error) error {
	g.clk.Set(at)
	if err := g.st.Update(ctx, fn); err != nil {
		return err
	}
	g.m.Counts.Txs++
	return nil
}

var timeZones = []string{"America/Chicago", "America/New_York", "America/Toronto", "America/Los_Angeles", "America/Denver", "Europe/Paris", "America/Mexico_City"}
var currencies = []string{"USD", "USD", "CAD", "USD", "USD", "EUR", "MXN"}
var ownerNames = []string{"Riverside", "Lakeshore", "Northgate", "Maplewood", "Bellevue", "Saint-Laurent", "Cedar Hills", "Sunnyside", "Oakridge", "Harborview"}

func (g *generator) makeOwner(ctx context.Context, idx int, role string, n, spare int, mode vetshare.Mode) (*Owner, error) {
	r := g.rand(1, uint64(idx))
	o := &Owner{Role: role, Mode: mode, Grouped: n}
	tz := r.IntN(len(timeZones))
	o.Currency = currencies[tz]
	if mode == "" {
		o.Grouped = 0
	}
	o.Name = fmt.Sprintf("%s Veterinary Group %d", ownerNames[idx%len(ownerNames)], idx)
	slug := "group" + strconv.Itoa(idx) + ".example"
	err := g.update(ctx, g.m.Start.AddDate(0, 0, -60), func(tx *vetshare.Tx) error {
		ow, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: o.Name})
		if err != nil {
			return err
		}
		o.ID = ow.ID
		admin, err := accounts.CreateUser(ctx, tx, vetshare.User{Name: "Admin of " + o.Name, Email: "admin@" + slug, EmailVerified: true, Active: true})
		if err != nil {
			return err
		}
		o.Admin = admin.ID
		g.m.Counts.Owners++
		g.m.Counts.Users++
		g.m.Counts.Ops += 2
		for i := range n + spare {
			email := "clinic" + strconv.Itoa(i) + "@" + slug
			a, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: o.ID,
				Name:  fmt.Sprintf("%s %s Animal Hospital %d", ownerNames[idx%len(ownerNames)], cities[(idx+i)%len(cities)], i),
				Email: email, EmailVerified: true, TimeZone: timeZones[tz], Currency: currencies[tz]})
			if err != nil {
				return err
			}
			o.Accounts, o.Emails = append(o.Accounts, a.ID), append(o.Emails, email)
			if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: o.Admin, AccountID: a.ID, Role: vetshare.RoleOwner, Permissions: vetshare.PermAll, Active: true}); err != nil {
				return err
			}
			var staff []vetshare.UserID
			for j := range 2 {
				first := firstNames[r.IntN(len(firstNames))]
				u, err := accounts.CreateUser(ctx, tx, vetshare.User{Name: first + " " + surnames[r.IntN(len(surnames))],
					Email: fmt.Sprintf("staff%d.%d@%s", i, j, slug), EmailVerified: true, Active: true})
				if err != nil {
					return err
				}
				if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: u.ID, AccountID: a.ID, Role: vetshare.RoleStaff, Permissions: vetshare.PermAll, Active: true}); err != nil {
					return err
				}
				staff = append(staff, u.ID)
			}
			o.Staff = append(o.Staff, staff)
			g.m.Counts.Accounts++
			g.m.Counts.Users += 2
			g.m.Counts.Memberships += 3
			g.m.Counts.Ops += 6
		}
		if n+spare > 1 {
			for j := range 3 {
				u, err := accounts.CreateUser(ctx, tx, vetshare.User{Name: fmt.Sprintf("Roaming Vet %d", j),
					Email: fmt.Sprintf("roaming%d@%s", j, slug), EmailVerified: true, Active: true})
				if err != nil {
					return err
				}
				for _, a := range o.Accounts {
					if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: u.ID, AccountID: a, Role: vetshare.RoleStaff, Permissions: vetshare.PermAll, Active: true}); err != nil {
						return err
					}
				}
				o.Roaming = append(o.Roaming, u.ID)
				g.m.Counts.Users++
				g.m.Counts.Memberships += int64(len(o.Accounts))
				g.m.Counts.Ops += int64(1 + len(o.Accounts))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("gen: owner %d: %w", idx, err)
	}
	if mode != "" {
		idxs := make([]int, n)
		for i := range idxs {
			idxs[i] = i
		}
		err := g.update(ctx, g.m.Start.AddDate(0, 0, -59), func(tx *vetshare.Tx) error {
			d, err := sharing.Enable(ctx, tx, o.EnableRequest(mode, idxs...))
			if err != nil {
				return err
			}
			if !d.Approved {
				return d.Err()
			}
			o.Group = d.Group
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("gen: owner %d: enable sharing: %w", idx, err)
		}
		g.m.Counts.Groups++
		g.m.Counts.Audit++
		g.m.Counts.Ops++
	}
	for _, d := range domains {
		if d.owner == nil {
			continue
		}
		if err := d.owner(ctx, g, o); err != nil {
			return nil, fmt.Errorf("gen: owner %d: %s: %w", idx, d.name, err)
		}
	}
	return o, nil
}

// actor returns a user who works at account a of o: mostly its own staff, sometimes a roaming
// vet.
func (o *Owner) actor(r *rand.Rand, a int) vetshare.Actor {
	if len(o.Roaming) > 0 && r.IntN(5) == 0 {
		return vetshare.Actor{User: o.Roaming[r.IntN(len(o.Roaming))], Account: o.Accounts[a]}
	}
	return vetshare.Actor{User: o.Staff[a][r.IntN(len(o.Staff[a]))], Account: o.Accounts[a]}
}

// chunkClient is a client of the chunk being made.
type chunkClient struct {
	id       vetshare.ClientID
	origin   int
	patients []vetshare.PatientID
	species  []string
	has      uint64 // accounts with an entry, by index
	second   int    // another account the client also goes to, or -1
	secondAt time.Time
	until    time.Time // last possible visit
}

// Visit is one visit of a client to an account: the patients seen, at one time, in one
// transaction. Each domain adds its rows to it.
type Visit struct {
	Owner    *Owner
	Account  int
	Actor    vetshare.Actor
	Client   vetshare.ClientID
	Patients []vetshare.PatientID
	Species  []string
	At       time.Time
	Rand     *rand.Rand
	// First is set on the visit at which the client was registered.
	First bool
	// Full is set when the visit gets the rows of every domain (see [Size.DomainRate]).
	Full bool
}

type plannedVisit struct {
	c       *chunkClient
	account int
	mask    uint8 // patients seen
	share   bool  // share the client with account first (manual group)
}

const slice = 30 * 24 * time.Hour

// makeClients makes o's clients, chunk by chunk, each with its patients and, when visits is
// set, its visits over the years.
func (g *generator) makeClients(ctx context.Context, oi int, o *Owner, visits bool) error {
	n := o.Clients
	chunks := (n + g.cfg.Batch - 1) / g.cfg.Batch
	span := g.m.End.Sub(g.m.Start)
	step := o.Role
	for c := range chunks {
		r := g.rand(2, uint64(oi)<<24|uint64(c))
		size := min(g.cfg.Batch, n-c*g.cfg.Batch)
		created := g.m.Start.Add(time.Duration(float64(span) * 0.9 * float64(c) / float64(max(chunks, 1)))).Add(time.Duration(r.IntN(8*3600)) * time.Second)
		if !visits {
			// Historical clients of the backfill owner: made before the group exists, over the years.
			created = g.m.Start.Add(time.Duration(float64(span) * 0.95 * float64(c) / float64(max(chunks, 1))))
		}
		cs := make([]chunkClient, size)
		buckets := map[int][]plannedVisit{}
		err := g.update(ctx, created, func(tx *vetshare.Tx) error {
			for i := range cs {
				cc := &cs[i]
				cc.origin = g.pickOrigin(r, o)
				actor := o.actor(r, cc.origin)
				p := newPerson(r, int64(oi)<<32|int64(c*g.cfg.Batch+i))
				cl, _, err := records.CreateClient(ctx, tx, actor, vetshare.Client{LastName: p.last, FirstName: p.first, Email: p.email, Phone: p.phone, Address: p.address})
				if err != nil {
					return err
				}
				cc.id = cl.ID
				cc.has = 1 << cc.origin
				g.m.Counts.Clients++
				g.m.Counts.Entries++
				g.m.Counts.Ops++
				if o.Mode == vetshare.ModeAutomatic && cc.origin < o.Grouped {
					for a := range o.Grouped {
						cc.has |= 1 << a
					}
					g.m.Counts.Entries += int64(o.Grouped - 1)
					g.m.Counts.Audit++
				}
				np := pickPatients(r)
				for range np {
					sp := pickSpecies(r)
					pt, err := records.AddPatient(ctx, tx, actor, vetshare.Patient{ClientID: cl.ID, Name: petNames[r.IntN(len(petNames))],
						Species: sp.name, Breed: sp.breeds[r.IntN(len(sp.breeds))], BirthDate: created.AddDate(-1-r.IntN(12), -r.IntN(12), 0)})
					if err != nil {
						return err
					}
					cc.patients, cc.species = append(cc.patients, pt.ID), append(cc.species, sp.name)
					g.m.Counts.Patients++
					g.m.Counts.Ops++
				}
				if !visits {
					continue
				}
				if err := g.visit(ctx, tx, &Visit{Owner: o, Account: cc.origin, Actor: actor, Client: cc.id, Patients: cc.patients,
					Species: cc.species, At: created, Rand: r, First: true, Full: g.full(r, o)}, cc); err != nil {
					return err
				}
				g.plan(r, o, cc, created, buckets)
				if oi == g.m.Auto && len(g.m.History) < 1000 && c < 3 {
					for _, pt := range cc.patients {
						g.m.History = append(g.m.History, PatientRef{Patient: pt, Client: cc.id, Origin: cc.origin})
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("gen: %s clients, chunk %d: %w", step, c, err)
		}
		if err := g.runVisits(ctx, o, oi, c, created, buckets); err != nil {
			return fmt.Errorf("gen: %s visits, chunk %d: %w", step, c, err)
		}
		g.report(step, c*g.cfg.Batch+size, n, false)
	}
	g.report(step, n, n, true)
	return nil
}

// errWarm rolls back the warm-up transaction.
var errWarm = errors.New("gen: warm-up")

// warm runs one client's worth of every operation in a transaction that is rolled back, so that
// the store has prepared their statements before the first big transaction: a statement the
// store has not prepared yet is prepared again at each use within a transaction, and a first
// transaction of thousands of operations would hold thousands of statements until it ends.
func (g *generator) warm(ctx context.Context) error {
	saved := g.m.Counts
	saved.Domain = maps.Clone(saved.Domain)
	defer func() { g.m.Counts = saved }()
	o := g.m.Owners[g.m.Big]
	r := g.rand(9, 0)
	err := g.update(ctx, g.m.Start, func(tx *vetshare.Tx) error {
		c, _, err := records.CreateClient(ctx, tx, o.actor(r, 0), vetshare.Client{LastName: "Warm", FirstName: "Up"})
		if err != nil {
			return err
		}
		sp := speciesList[0]
		p, err := records.AddPatient(ctx, tx, o.actor(r, 0), vetshare.Patient{ClientID: c.ID, Name: "Warm", Species: sp.name})
		if err != nil {
			return err
		}
		if _, err := sharing.ShareClient(ctx, tx, o.Actor(1), c.ID); err != nil {
			return err
		}
		cc := &chunkClient{id: c.ID, patients: []vetshare.PatientID{p.ID}, species: []string{sp.name}}
		for a := range 2 {
			if err := g.visit(ctx, tx, &Visit{Owner: o, Account: a, Actor: o.actor(r, a), Client: c.ID, Patients: cc.patients, Species: cc.species,
				At: g.m.Start, Rand: r, First: a == 0, Full: true}, cc); err != nil {
				return err
			}
		}
		for _, d := range domains {
			if d.warm != nil {
				if err := d.warm(ctx, tx, o, c.ID, p.ID); err != nil {
					return fmt.Errorf("%s: %w", d.name, err)
				}
			}
		}
		return errWarm
	})
	if errors.Is(err, errWarm) {
		return nil
	}
	return fmt.Errorf("gen: warm-up: %w", err)
}

// pickOrigin picks the account a client is created at: some locations are busier.
func (g *generator) pickOrigin(r *rand.Rand, o *Owner) int {
	if o.Role == "backfill" {
		return 0
	}
	if len(o.Accounts) == 1 {
		return 0
	}
	total := 0
	for i := range o.Accounts {
		total += 1 + i%3
	}
	x := r.IntN(total)
	for i := range o.Accounts {
		x -= 1 + i%3
		if x < 0 {
			return i
		}
	}
	return 0
}

func pickPatients(r *rand.Rand) int {
	switch x := r.IntN(100); {
	case x < 50:
		return 1
	case x < 80:
		return 2
	case x < 95:
		return 3
	}
	return 4
}

func pickSpecies(r *rand.Rand) species {
	total := 0
	for _, s := range speciesList {
		total += s.weight
	}
	x := r.IntN(total)
	for _, s := range speciesList {
		x -= s.weight
		if x < 0 {
			return s
		}
	}
	return speciesList[0]
}

// plan draws a client's later visits, every 4 to 18 months until the client lapses (four in ten
// do, at a random time) or the history ends, into monthly buckets.
func (g *generator) plan(r *rand.Rand, o *Owner, cc *chunkClient, created time.Time, buckets map[int][]plannedVisit) {
	cc.second, cc.until = -1, g.m.End
	if r.IntN(10) < 4 {
		cc.until = created.Add(time.Duration(r.Int64N(int64(g.m.End.Sub(created)) + 1)))
	}
	grouped := o.Mode != "" && cc.origin < o.Grouped && o.Grouped > 1
	if grouped && r.IntN(10) == 0 {
		cc.second = (cc.origin + 1 + r.IntN(o.Grouped-1)) % o.Grouped
		cc.secondAt = created.Add(time.Duration(r.Int64N(int64(g.m.End.Sub(created)) + 1)))
	}
	first := int(created.Sub(g.m.Start) / slice)
	shared := false
	gap := func() time.Duration { return time.Duration(120+r.IntN(420)) * 24 * time.Hour }
	for t := created.Add(gap()); t.Before(cc.until); t = t.Add(gap()) {
		b := max(int(t.Sub(g.m.Start)/slice), first+1)
		v := plannedVisit{c: cc, account: cc.origin}
		switch {
		case cc.second >= 0 && !t.Before(cc.secondAt) && (!shared || r.IntN(10) < 3):
			v.account, v.share = cc.second, !shared && o.Mode == vetshare.ModeManual
			shared = true
		case o.Mode == vetshare.ModeAutomatic && grouped && r.IntN(100) < 15:
			v.account = (cc.origin + 1 + r.IntN(o.Grouped-1)) % o.Grouped
		}
		v.mask = uint8(1 + r.IntN(1<<len(cc.patients)-1))
		if r.IntN(3) > 0 && len(cc.patients) > 1 {
			v.mask = 1 << r.IntN(len(cc.patients)) // most visits are for one animal
		}
		buckets[b] = append(buckets[b], v)
	}
}

// runVisits writes a chunk's planned visits, one transaction per month of history.
func (g *generator) runVisits(ctx context.Context, o *Owner, oi, c int, created time.Time, buckets map[int][]plannedVisit) error {
	last := int(g.m.End.Sub(g.m.Start)/slice) + 1
	for b := 0; b <= last; b++ {
		vs := buckets[b]
		if len(vs) == 0 {
			continue
		}
		r := g.rand(3, uint64(oi)<<40|uint64(c)<<12|uint64(b))
		at := g.m.Start.Add(time.Duration(b)*slice + time.Duration(r.IntN(29*24*3600))*time.Second)
		if !at.Before(g.m.End) {
			at = g.m.End.Add(-time.Duration(1+r.IntN(48)) * time.Hour)
		}
		if !at.After(created) {
			at = created.Add(time.Hour)
		}
		err := g.update(ctx, at, func(tx *vetshare.Tx) error {
			for _, v := range vs {
				actor := o.actor(r, v.account)
				if v.share {
					if _, err := sharing.ShareClient(ctx, tx, o.Actor(v.account), v.c.id); err != nil {
						return err
					}
					v.c.has |= 1 << v.account
					g.m.Counts.Entries++
					g.m.Counts.Audit++
					g.m.Counts.Ops++
				}
				var ps []vetshare.PatientID
				var sp []string
				for i, p := range v.c.patients {
					if v.mask&(1<<i) != 0 {
						ps, sp = append(ps, p), append(sp, v.c.species[i])
					}
				}
				if err := g.visit(ctx, tx, &Visit{Owner: o, Account: v.account, Actor: actor, Client: v.c.id, Patients: ps, Species: sp, At: at, Rand: r, Full: g.full(r, o)}, v.c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		delete(buckets, b)
	}
	return nil
}

// full draws whether a visit of o gets the rows of every domain (see [Size.DomainRate]).
func (g *generator) full(r *rand.Rand, o *Owner) bool {
	rate := g.m.Size.DomainRate
	if o.Role != "big" || rate <= 0 || rate >= 1 {
		return true
	}
	return r.Float64() < rate
}

// count adds n rows of a domain to the counts.
func (g *generator) count(domain string, n int64) { g.m.Counts.Domain[domain] += n }

// visit runs every domain's visit hook.
func (g *generator) visit(ctx context.Context, tx *vetshare.Tx, v *Visit, cc *chunkClient) error {
	for _, d := range domains {
		if d.visit == nil {
			continue
		}
		if err := d.visit(ctx, g, tx, v, cc.origin); err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
	}
	return nil
}

// domain adds one area's data to the data set.
type domain struct {
	name string
	// owner runs once per owner after its accounts, users and group exist.
	owner func(ctx context.Context, g *generator, o *Owner) error
	// visit runs at every visit, in the visit's transaction.
	visit func(ctx context.Context, g *generator, tx *vetshare.Tx, v *Visit, origin int) error
	// after runs once every client exists (a backlog of tasks, say).
	after func(ctx context.Context, g *generator) error
	// warm runs, in the rolled-back warm-up transaction, every operation the domain uses, on a
	// client of the big owner shared with its first two accounts.
	warm func(ctx context.Context, tx *vetshare.Tx, o *Owner, c vetshare.ClientID, p vetshare.PatientID) error
}

// domains are the areas that add data, in order.
var domains = []domain{
	{name: "records", visit: recordsVisit},
	{name: "inventory", owner: inventoryOwner, visit: inventoryVisit, warm: inventoryWarm},
	{name: "billing", visit: billingVisit, warm: billingWarm},
	{name: "tasks", visit: tasksVisit, after: tasksBacklog, warm: tasksWarm},
}

// recordsVisit adds a medical record for each patient seen.
func recordsVisit(ctx context.Context, g *generator, tx *vetshare.Tx, v *Visit, origin int) error {
	for _, p := range v.Patients {
		rec := vetshare.Record{PatientID: p, Kind: vetshare.RecordNote, Text: noteTexts[v.Rand.IntN(len(noteTexts))]}
		switch x := v.Rand.IntN(10); {
		case x < 2:
			rec.Kind, rec.Text = vetshare.RecordLab, labTexts[v.Rand.IntN(len(labTexts))]
		case x < 3:
			rec.Kind, rec.Text = vetshare.RecordAttachment, "radiograph-"+itoa(v.Rand.Int64N(1e9))+".dcm"
		}
		if _, err := records.AddRecord(ctx, tx, v.Actor, rec); err != nil {
			return err
		}
		g.m.Counts.Records++
		g.m.Counts.Ops++
		if v.Account != origin {
			g.m.Counts.Audit++
		}
	}
	return nil
}

// makeFixtures makes the ShareClient fixtures of the big owner: clients at its first account,
// each with 3 patients, a small history (6 records) or a huge one (HugeRecords records over
// the years).
func (g *generator) makeFixtures(ctx context.Context) error {
	o := g.m.Owners[g.m.Big]
	n := g.m.Size.Fixtures
	span := g.m.End.Sub(g.m.Start)
	for i := range 2 * n {
		huge := i%2 == 1
		r := g.rand(4, uint64(i))
		perPatient := 2
		if huge {
			perPatient = max(g.m.Size.HugeRecords/3, 1)
		}
		var c vetshare.Client
		var ps []vetshare.PatientID
		actor := o.actor(r, 0)
		err := g.update(ctx, g.m.Start.Add(time.Duration(i)*time.Minute), func(tx *vetshare.Tx) error {
			p := newPerson(r, int64(900_000_000+i))
			var err error
			if c, _, err = records.CreateClient(ctx, tx, actor, vetshare.Client{LastName: p.last, FirstName: p.first, Email: p.email, Phone: p.phone, Address: p.address}); err != nil {
				return err
			}
			for range 3 {
				sp := pickSpecies(r)
				pt, err := records.AddPatient(ctx, tx, actor, vetshare.Patient{ClientID: c.ID, Name: petNames[r.IntN(len(petNames))], Species: sp.name})
				if err != nil {
					return err
				}
				ps = append(ps, pt.ID)
			}
			g.m.Counts.Clients++
			g.m.Counts.Entries++
			g.m.Counts.Patients += 3
			g.m.Counts.Ops += 4
			return nil
		})
		if err != nil {
			return fmt.Errorf("gen: fixtures: %w", err)
		}
		// The history in up to 20 visits spread over the years, each one transaction.
		visits := min(perPatient, 20)
		for v := range visits {
			at := g.m.Start.Add(time.Duration(i)*time.Minute + span*time.Duration(v+1)/time.Duration(visits+1))
			err := g.update(ctx, at, func(tx *vetshare.Tx) error {
				for _, p := range ps {
					for k := v; k < perPatient; k += visits {
						if _, err := records.AddRecord(ctx, tx, o.actor(r, 0), vetshare.Record{PatientID: p, Kind: vetshare.RecordNote, Text: noteTexts[r.IntN(len(noteTexts))]}); err != nil {
							return err
						}
						g.m.Counts.Records++
						g.m.Counts.Ops++
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("gen: fixtures: %w", err)
			}
		}
		if huge {
			g.m.ShareHuge = append(g.m.ShareHuge, c.ID)
		} else {
			g.m.ShareSmall = append(g.m.ShareSmall, c.ID)
		}
		g.report("fixtures", i+1, 2*n, false)
	}
	g.report("fixtures", 2*n, 2*n, true)
	return nil
}

// PeakRSS returns the peak resident memory of the process in bytes: VmHWM of /proc/self/status,
// or, where the system does not tell, the memory the Go runtime has obtained.
func PeakRSS() int64 {
	if n := procStatus("VmHWM:"); n > 0 {
		return n
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.Sys)
}

// procStatus returns a memory figure of /proc/self/status in bytes, 0 when there is none.
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return kb * 1024
			}
		}
	}
	return 0
}
