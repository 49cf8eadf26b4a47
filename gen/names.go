package gen

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/vetshare/vetshare"
)

// Surnames are drawn with a steep, Zipf-like weight so that many clients share a surname (a
// household, or just a common name), as in a real client list. They include accents and
// apostrophes, and letters outside Latin-1, so that folding (vetshare.FoldName) is exercised.
var surnames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis", "Rodríguez", "Martínez",
	"Hernández", "López", "González", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Pérez", "Thompson", "White", "Harris", "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyễn", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
	"Müller", "Schröder", "Groß", "Weiß", "Köhler", "Jäger", "Lefèvre", "Dubois", "Gagné", "Bélanger",
	"Côté", "Lévesque", "Bouchard", "Gauthier", "Roy", "Tremblay", "Lavoie", "Fortin", "Gélinas", "Béliveau",
	"O'Brien", "O'Connor", "O'Neill", "McDonald", "MacLeod", "Søndergaard", "Østergaard", "Ångström", "Åberg", "Lindqvist",
	"Nuñez", "Peña", "Muñoz", "Ibáñez", "Castaño", "Ortiz", "Vásquez", "Gómez", "Díaz", "Jiménez",
	"Kowalski", "Wiśniewski", "Wójcik", "Łukasik", "Zieliński", "Nowak", "Dvořák", "Novák", "Černý", "Procházka",
	"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
	"Silva", "Santos", "Oliveira", "Souza", "Conceição", "Gonçalves", "Araújo", "Magalhães", "Brandão", "Simões",
	"Kim", "Park", "Chen", "Wang", "Li", "Zhang", "Liu", "Singh", "Patel", "Shah",
	"Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Peterson",
	"Cooper", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood",
	"Watson", "Brooks", "Bennett", "Gray", "James", "Reyes", "Cruz", "Hughes", "Price", "Myers",
	"Long", "Foster", "Sanders", "Ross", "Morales", "Powell", "Sullivan", "Russell", "Ortega", "Jenkins",
	"Gutiérrez", "Perry", "Butler", "Barnes", "Fisher", "Henderson", "Coleman", "Simmons", "Patterson", "Jordan",
	"Reynolds", "Hamilton", "Graham", "Kim-Lefèvre", "Wallace", "Smith-Jones", "West", "Cole", "Hayes", "Chávez",
	"Gibson", "Bryant", "Ellis", "Stevens", "Murray", "Ford", "Marshall", "Owens", "van der Berg", "de la Cruz",
}

var firstNames = []string{
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
	"William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
	"Élodie", "José", "Zoë", "François", "Björn", "Chloé", "Renée", "Anaïs", "Noël", "Hélène",
	"Jürgen", "Søren", "Åsa", "Łukasz", "Małgorzata", "Jiří", "Ondřej", "Inès", "Raúl", "Sofía",
	"María", "Lucía", "Andrés", "Iñaki", "Joaquín", "Ángel", "Mónica", "Rubén", "Héctor", "Víctor",
	"Emma", "Olivia", "Ava", "Isabella", "Sophia", "Mia", "Charlotte", "Amelia", "Harper", "Evelyn",
	"Liam", "Noah", "Oliver", "Elijah", "Lucas", "Mason", "Logan", "Ethan", "Aiden", "Jackson",
	"Camille", "Léa", "Manon", "Théo", "Mathéo", "Maëlle", "Gaëlle", "Loïc", "Jérôme", "Stéphane",
	"Mei", "Wei", "Hiro", "Yuki", "Minh", "Thảo", "Priya", "Arjun", "Aanya", "Rohan",
	"Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Margaret", "Donald", "Sandra",
	"Steven", "Ashley", "Paul", "Kimberly", "Andrew", "Emily", "Joshua", "Donna", "Kenneth", "Michelle",
	"Kevin", "Carol", "Brian", "Amanda", "George", "Dorothy", "Timothy", "Melissa", "Ronald", "Deborah",
}

var petNames = []string{
	"Bella", "Max", "Luna", "Charlie", "Lucy", "Cooper", "Daisy", "Milo", "Bailey", "Buddy",
	"Scooby", "Rocky", "Coco", "Sadie", "Molly", "Bear", "Tucker", "Oliver", "Leo", "Loki",
	"Nala", "Simba", "Chloe", "Zoey", "Pepper", "Ginger", "Oreo", "Bandit", "Shadow", "Smokey",
	"Biscuit", "Muffin", "Peanut", "Pickles", "Noodle", "Mochi", "Kiwi", "Pixel", "Ziggy", "Olaf",
	"Frida", "Hugo", "Bijou", "Fénix", "Chispa", "Pelusa", "Gümüş", "Pampuch", "Kuba", "Thor",
	"Apollo", "Athena", "Zeus", "Juno", "Nova", "Comet", "Sunny", "Storm", "Misty", "Willow",
}

type species struct {
	name   string
	weight int
	breeds []string
}

var speciesList = []species{
	{"Canine", 50, []string{"Labrador Retriever", "German Shepherd", "Golden Retriever", "French Bulldog", "Beagle", "Poodle", "Dachshund", "Mixed", "Border Collie", "Boxer"}},
	{"Feline", 35, []string{"Domestic Shorthair", "Domestic Longhair", "Maine Coon", "Siamese", "Persian", "Ragdoll", "Bengal", "Mixed"}},
	{"Rabbit", 5, []string{"Holland Lop", "Netherland Dwarf", "Rex", "Mixed"}},
	{"Avian", 4, []string{"Budgerigar", "Cockatiel", "African Grey", "Lovebird"}},
	{"Ferret", 2, []string{"Standard", "Albino"}},
	{"Guinea Pig", 2, []string{"American", "Abyssinian", "Peruvian"}},
	{"Reptile", 1, []string{"Bearded Dragon", "Leopard Gecko", "Ball Python"}},
	{"Equine", 1, []string{"Quarter Horse", "Thoroughbred", "Arabian", "Pony"}},
}

var streets = []string{"Elm St", "Maple Ave", "Oak Dr", "Rue Saint-Denis", "Calle Mayor", "Hauptstraße 12", "Cedar Ln", "Pine Rd", "Birch Ct", "Chemin du Lac"}
var cities = []string{"Springfield", "Riverside", "Montréal", "Québec", "San José", "Fairview", "Greenville", "Madison", "Franklin", "Clinton"}

var noteTexts = []string{
	"Annual wellness exam. Weight stable, BCS 5/9. Owner reports good appetite.",
	"Presented for vomiting x2 days. Abdomen soft, non-painful. Bland diet, recheck if not improved.",
	"Dental prophylaxis under GA. Grade 2 tartar, no extractions.",
	"Skin: pruritus, mild erythema ventral abdomen. Suspect atopy. Started trial.",
	"Limping right forelimb. No swelling. Rest 7 days, NSAID dispensed.",
	"Recheck: otitis externa resolved. Discontinue drops.",
	"Vaccination visit. No adverse reaction observed during 15 min observation.",
	"Senior screen discussed with owner; bloodwork submitted.",
}
var labTexts = []string{
	"CBC: within reference intervals.",
	"Chemistry: ALT mildly elevated (142 U/L). Recheck in 4 weeks.",
	"Urinalysis: USG 1.035, no crystals, no bacteria.",
	"Fecal flotation: negative.",
	"Heartworm antigen: negative.",
	"T4: 3.1 µg/dL (within range).",
}

// zipfTable picks an index below n with weight 1/(i+1)^s, so low indexes are much more common.
type zipfTable struct{ cum []float64 }

func newZipf(n int, s float64) zipfTable {
	z := zipfTable{cum: make([]float64, n)}
	sum := 0.0
	for i := range n {
		w := math.Pow(float64(i+1), -s)
		sum += w
		z.cum[i] = sum
	}
	for i := range z.cum {
		z.cum[i] /= sum
	}
	return z
}

func (z zipfTable) pick(r *rand.Rand) int {
	u := r.Float64()
	lo, hi := 0, len(z.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if z.cum[m] < u {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

var surnameZipf = newZipf(len(surnames), 0.9)
var firstZipf = newZipf(len(firstNames), 0.5)

// person is a generated client's profile.
type person struct {
	last, first, email, phone, address string
}

func newPerson(r *rand.Rand, n int64) person {
	p := person{last: surnames[surnameZipf.pick(r)], first: firstNames[firstZipf.pick(r)]}
	if r.IntN(20) == 0 {
		p.first = "" // a business or a household known only by its surname
	}
	if r.IntN(10) < 8 {
		local := asciiLocal(p.first) + "." + asciiLocal(p.last)
		if p.first == "" {
			local = asciiLocal(p.last)
		}
		p.email = local + itoa(n) + "@" + []string{"example.com", "mail.example", "correo.example", "courriel.example"}[r.IntN(4)]
	}
	p.phone = "+1 555 " + pad3(r.IntN(1000)) + " " + pad4(r.IntN(10000))
	p.address = itoa(int64(1+r.IntN(9999))) + " " + streets[r.IntN(len(streets))] + ", " + cities[r.IntN(len(cities))]
	return p
}

// asciiLocal makes a name usable as an email local part.
func asciiLocal(s string) string {
	var b strings.Builder
	for _, c := range vetshare.FoldName(s) {
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "client"
	}
	return b.String()
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

func pad3(n int) string {
	return string([]byte{byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)})
}
func pad4(n int) string { return pad3(n/10) + string(rune('0'+n%10)) }

// Prefixes returns three-letter prefixes typed in the candidates workload, as a receptionist types
// them: some with accents and capitals, all matching many clients.
func Prefixes() []string {
	return []string{"Smi", "gar", "Mül", "ngu", "Joh", "LEF", "rod", "côt", "mar", "wil", "o'b", "her", "Lóp", "tre", "bro"}
}
