import type { Finding } from './findings.ts';

/**
 * The guard's words, English and Dutch. Keys are written as the tokenizer folds them: lower case, no accents,
 * no inner `.-_'/`; a phrase is its words run together ("verification code" → `verificationcode`), so
 * "verification-code", "verification code" and "verificationcode" all match it.
 */

/** A word list from a string of words separated by whitespace. */
export const words = (list: string): Set<string> => new Set(list.split(/\s+/u).filter(Boolean));

export interface SecretWord {
  kind: Finding;
  /** `pin`: a PIN word (in the PIN step the value is the support PIN); `code`: a one-time code word. */
  role?: 'pin' | 'code' | 'weak' | undefined;
}

const PASSWORD = words(`
  password passwords passw passwd passwrd passwort passwordje pasword paswords passord passowrd pasword paswd psswd
  pswd psw pwd pwrd pword pw pws pazzword passwerd paasword
  passcode passcodes pascode passphrase passphrases passfrase
  wachtwoord wachtwoorden wachtwoordje wachtw wachtwrd wachtword wachtwood wachtwort wagtwoord wachtwoor ww
  w8woord w8w paswoord paswoorden paswoordje
  toegangscode toegangscodes ontgrendelcode ontgrendelcodes schermcode vergrendelcode unlockcode lockcode
  screencode phonecode telefooncode iphonecode ipadcode gsmcode toestelcode simpin simpincode
  loginpassword inlogwachtwoord accountpassword accountwachtwoord masterpassword hoofdwachtwoord
`);

const PIN = words('pin pins pincode pincodes pinnummer pinnr pinkode pinnen');

const CODE = words(`
  code codes kode verificationcode verificationcodes verifycode verificatiecode verificatiecodes verificatie
  smscode smscodes sms textcode textmessagecode 2fa 2facode 2fa-code 2fa-codes 2stepcode twostepcode twofactorcode
  twofactor 2factor tweestapsverificatiecode tweestapscode tweestapsverificatie mfa mfacode otp otpcode otps
  onetimecode onetimepasscode onetimepassword onetimepin eenmaligecode eenmaligcode eenmaligewachtwoord
  inlogcode inlogcodes logincode logincodes signincode securitycode securitycodes beveiligingscode
  beveiligingscodes bevestigingscode bevestigingscodes confirmationcode confirmcode authenticationcode
  authenticatiecode authenticatorcode authenticator authcode authenticatorapp authenticatornumber
  activationcode activatiecode controlecode checkcode digidcode digidcodes token tokens tan tancode tancodes
  emailcode mailcode magiccode koppelcode pairingcode validationcode validatiecode approvalcode goedkeuringscode
  identificatiecode loginnumber inlognummer steamguardcode guardcode
`);

const RECOVERY = words(`
  recoverykey recoverykeys recoverycode recoverycodes recoveryphrase recoverywords recoverysheet
  backupcode backupcodes backupkey backupsleutel reservecode reservecodes reservesleutel noodcode noodcodes
  noodsleutel emergencycode emergencycodes emergencykit seed seedphrase seedwords seedzin secretphrase
  secretrecoveryphrase mnemonic mnemonicphrase masterkey privatekey privekey privesleutel secretkey
  bitlockerkey bitlockerrecoverykey bitlockercode bitlockersleutel setupkey setupcode
  herstelsleutel herstelsleutels herstelcode herstelcodes herstelzin herstelwoorden herstelblad
  herstelsleutelcode geheimesleutel herstelkaart herstelkaartje recoverycard rescuecode rescuecodes reddingscode
  reddingscodes
`);

/** Secret words, by key. */
export const SECRET_WORDS = new Map<string, SecretWord>();
// Every entry has the same fields, so that reading them stays fast on the scan's hot path.
const secretWord = (kind: Finding, role?: SecretWord['role']): SecretWord => ({ kind, role });
for (const w of PASSWORD) SECRET_WORDS.set(w, secretWord('password'));
for (const w of PIN) SECRET_WORDS.set(w, secretWord('password', 'pin'));
for (const w of CODE) SECRET_WORDS.set(w, secretWord('verification_code', 'code'));
for (const w of RECOVERY) SECRET_WORDS.set(w, secretWord('recovery_key'));
// "pass" is also a bus pass, a boarding pass and "can you pass this on": it needs a ":" or "=" after it.
SECRET_WORDS.set('pass', secretWord('password', 'weak'));

/** Compounds that end in a secret word are secret words too: `icloudwachtwoord`, `wifipassword`. */
export const SECRET_SUFFIXES: Array<[string, SecretWord]> = [
  ['wachtwoord', { kind: 'password', role: undefined }],
  ['password', { kind: 'password', role: undefined }],
  ['paswoord', { kind: 'password', role: undefined }],
  ['passcode', { kind: 'password', role: undefined }],
  ['pincode', { kind: 'password', role: 'pin' }],
  ['verificatiecode', { kind: 'verification_code', role: 'code' }],
  ['bevestigingscode', { kind: 'verification_code', role: 'code' }],
  ['beveiligingscode', { kind: 'verification_code', role: 'code' }],
  ['inlogcode', { kind: 'verification_code', role: 'code' }],
  ['herstelsleutel', { kind: 'recovery_key', role: undefined }],
  ['herstelcode', { kind: 'recovery_key', role: undefined }],
  ['code', { kind: 'verification_code', role: 'code' }],
];

/** Words with "code" or "pass" in them that are no secret: a postcode, a promo code, a boarding pass. */
export const NOT_SECRET_WORDS = words(`
  postcode postcodes zipcode zip postalcode areacode countrycode landcode landcodes dialcode netnummer
  discountcode promocode promotioncode promotiecode couponcode vouchercode voucher giftcode giftcardcode cadeaucode
  cadeaukaartcode kortingscode kortingcode kortingscodes actiecode actiecodes welkomstcode referralcode invitecode
  uitnodigingscode errorcode errorcodes foutcode foutcodes statuscode httpcode qrcode qrcodes barcode barcodes
  streepjescode productcode productcodes artikelcode itemcode colourcode colorcode kleurcode dresscode sourcecode
  broncode htmlcode csscode trackingcode trackcode tracecode trackandtracecode trackentracecode verzendcode
  ophaalcode afhaalcode referencecode referentiecode ordercode bestelcode klantcode customercode modelcode
  typecode regiocode regioncode shelfcode skucode eancode taxcode btwcode vatcode ibancode biccode swiftcode
  sortcode routingcode bankcode airportcode flightcode bookingcode boekingscode reserveringscode ticketcode
  eventcode dresscodes zipcodes cheatcode morsecode machinecode programmacode zoekcode
  passwordreset passwordresets passwordmanager passwordmanagers wachtwoordreset wachtwoordmanager
  wachtwoordbeheerder wachtwoordkluis passwordhint resetlink resetcode
  daypass buspass boardingpass hallpass seasonpass passport paspoort bergpas
`);

/** Words that set a value: "is", ":", "=", "called", "luidt", "heet". */
export const CUE_WORDS = words(`
  is was are were its thats s isnt wasnt been
  equals becomes became reads says said shows showed displays
  luidt luidde heet heette heten genaamd called named zijn waren wordt werd geworden zegt zei toont
`);

/** Punctuation that sets a value. */
export const CUE_MARKS = new Set([':', '=', '>', '→', '➡', '⇒', '⟶', '—', '–', '-']);

/** Words a customer uses to say what they typed in: "I typed in …", "ik vulde … in". */
export const ENTRY_VERBS = words(`
  typed type typing entered enter entering put tried try trying used use using chose picked choose pick set made
  gave said answered wrote
  typ typte typten ingetypt intypen vul vulde ingevuld invullen gebruik gebruikte gebruikt geprobeerd probeer
  probeerde koos gekozen gezet zette ingesteld stelde gemaakt maakte heb had antwoordde geantwoord schreef
`);

/** Verbs of changing a secret: after these, "to", "naar" and "in" set the new value. */
export const CHANGE_VERBS = words(`
  changed change changing reset resetted updated update set switched made make
  veranderd verander veranderde veranderen gewijzigd wijzig wijzigde wijzigen aangepast aanpassen gezet zet zette
  ingesteld gereset resette omgezet
`);

export const CHANGE_CUES = words('to into naar in op');

/**
 * Words that say what state a secret is in instead of giving it: "my password is not working", "is too short",
 * "is expired". A value that starts with one of these is a description, unless a credential-like word follows.
 */
export const STATE_WORDS = words(`
  not no never none wrong incorrect invalid expired expiring old new correct right fine ok okay good bad
  working broken locked blocked disabled too very so quite pretty really still also just simply literally only
  reset changed gone lost forgotten forgot stolen hacked compromised leaked weak strong long short easy hard
  simple complicated complex difficult safe unsafe secure insecure probably definitely maybe perhaps possibly
  apparently obviously actually supposedly somehow somewhere there here empty blank missing unknown rejected
  refused accepted saved stored written sensitive required needed mandatory optional available unavailable
  different ready sent received coming arriving arrived delivered late slow fast quick valid done finished
  known familiar unchanged suspended temporary temporarily generated random auto autofilled same similar alike
  can cant cannot could couldnt would wouldnt should shouldnt will wont shall might must may do does did dont
  doesnt didnt have has had havent hasnt am be been being get got gets getting keep keeps kept isnt wasnt arent
  at least most more less all any every each some several many few
  niet geen nooit fout onjuist ongeldig verlopen oud oude nieuw nieuwe goed juist prima oke kapot geblokkeerd
  geblokt vergrendeld te heel erg zo nog steeds ook gewoon echt alleen pas eigenlijk gereset gewijzigd
  veranderd weg kwijt vergeten gestolen gehackt gelekt zwak sterk lang kort makkelijk moeilijk simpel ingewikkeld
  veilig onveilig waarschijnlijk misschien wellicht blijkbaar ergens opgeslagen bewaard geschreven
  hoofdlettergevoelig nodig verplicht beschikbaar klaar verstuurd ontvangen onderweg aangekomen binnen laat traag
  snel geldig minstens minimaal maximaal bekend onbekend leeg tijdelijk gegenereerd willekeurig automatisch
  kan kun kunt kon zou zal zullen moet moeten mag heb hebt heeft hebben ben bent wordt word
`);

/** Articles, pronouns and possessives: a value starting with one is a sentence, read as one. */
export const FUNCTION_WORDS = words(`
  the a an my your our his her their this that these those it its i me you he she we they them him us mine
  yours what which who whom whose where when why how
  het een de mijn mn min jouw je uw ons onze zijn haar hun dit dat deze die ik jij hij zij wij we jullie ze hem
  t wat welke wie waar wanneer waarom hoe
  im ive id ill hes shes theyre theyve youre youve weve were theres thats whats wheres k
`);

/** A value never starts with a preposition: "my password is in my notes", "staat op een briefje". */
export const PREPOSITIONS = words(`
  in on at to for of with without from by about into onto under above between until since before after during
  like as inside behind near
  van voor met zonder door over tot sinds bij uit na naar op om tijdens als zoals achter onder boven in
`);

/** Words of a hint or a description, never of a value: "the same as my email", "my dog's name plus a year". */
export const HINT_WORDS = words(`
  same one ones name names naam namen like zoals plus combination combinatie based mix something iets nothing
  niets niks anything everything alles whatever whichever email mail birthday verjaardag date datum year jaar
  jaartal birth geboorte hint bit kind sort type soort version versie variation variant thing ding usual
  gebruikelijke standard standaard default manager hetzelfde dezelfde zelfde similar letters
  characters tekens cijfers digits numbers symbols capital hoofdletter hoofdletters problem probleem
`);

/** Lead-ins skipped before a value: "is just welcome", "was probably MoonPie_3", "is gewoon appel". */
export const LEAD_INS = words(`
  just simply literally basically actually currently now still probably prob maybe perhaps possibly definitely
  really honestly oh um uh erm well so ok okay sure yes yeah yep then first
  gewoon echt gwn nog steeds eigenlijk nu momenteel ook eerst toen dan misschien waarschijnlijk wss denk
  volgens mij trouwens namelijk nl dus ja jawel oke ok nou eh ehm uhm allez amai
  but maar weer eens again already al wel always altijd ever no nee nope typo typfout oops oeps correctie
  correction
`);

/** Pronoun cues that restart a value later in a sentence: "nothing fancy, it's football". */
export const PRONOUN_CUES = words('its itis thats thatis thisis ts tis hetis datis ditis ishet washet hetwas');

/** Words that stop a value: "my password is hunter2 and I can't log in". */
export const VALUE_STOPS = words(`
  and but or so because cause cuz coz since if when then please pls plz thanks thank thx ty lol haha hahaha like
  lmao btw right ok okay can could would will is was are does did do doesnt didnt dont wont cant i
  en maar of want omdat dus als toen dan alsjeblieft alstublieft aub ajb graag bedankt dank hoor he toch
  kun kunt kan wil wilt zou zal is was ik zoals
`);

/** Numbers that are references, not codes, when one of these labels comes just before them. */
export const REFERENCE_LABELS = words(`
  order orders ordernumber orderno ordernr ordernummer bestelling bestellingen bestelnummer bestelnr bestel
  invoice invoices invoicenumber factuur factuurnummer factuurnr ticket tickets ticketnumber ticketnummer
  case casenumber zaak zaaknummer dossier dossiernummer dossiernr incident tracking track trace trackandtrace
  trackingnumber zending zendingnummer pakket parcel shipment delivery deliveryid levering bezorging
  reference ref referencenumber referentie referentienummer kenmerk betalingskenmerk customer customernumber
  customerno klant klantnummer klantnr member membership membershipid memberid lid lidnummer lidmaatschap
  account accountnumber accountno accountnr rekening rekeningnummer iban bic sort sortcode routing
  routingnumber room kamer kamernummer apartment appartement unit huisnummer house flat suite locker kluisje
  booking bookingref boeking boekingsnummer reservation reservering reserveringsnummer flight vlucht
  policy policynumber polis polisnummer contract contractnummer subscription abonnement abonnementsnummer
  serial serialnumber serienummer imei model modelnumber modelnummer part partnumber onderdeel artikel
  artikelnummer article product sku ean barcode batch lot meter meterstand reading stand kwh
  postcode zip zipcode postal phone telefoon telefoonnummer tel mobile mobiel gsm fax extension toestel
  transaction transactie transactieid transactionid payment betaling retour return returnlabel retourlabel
  label id nr no nummer number kvk kvknummer btw btwnummer vat vatnumber bsn rijksregisternummer sofinummer
  registration registratie kenteken licence license version versie build release error fout foutcode
  errorcode status statuscode page pagina chapter hoofdstuk line regel item items stuk bus box doos
  store winkel filiaal branch location locatie shop kassa till terminal
  simkaartnummer simnummer iccid puk puknummer
  discount promo voucher coupon korting kortingscode
`);

/** References strong enough that, named anywhere in a message without a code word, its 6-digit numbers are theirs. */
export const STRONG_REFERENCES = words(`
  order orders ordernumber ordernummer bestelling bestelnummer invoice factuur factuurnummer ticket ticketnummer
  case casenumber zaak zaaknummer dossier dossiernummer tracking trackandtrace zending pakket parcel shipment
  customernumber klantnummer membership lidnummer accountnumber rekeningnummer booking boeking reservation
  reservering policy polis contract contractnummer serial serienummer imei meter meterstand invoicenumber
  ref reference referentie kenmerk betalingskenmerk
`);

/** Units after a number that make it an amount: "482913 points", "48 x 30 cm". */
export const UNITS = words(`
  points point pts punten punt miles mile km kms kilometer kilometers kilometres meter meters m cm mm kg kgs gram
  grams g lb lbs pounds euro euros eur dollar dollars usd gbp pond rupees rs yen steps stappen followers volgers
  views likes items item pieces stuks stuk users gebruikers members leden employees medewerkers people mensen
  times keer x kwh kw w watt volt v mah gb mb tb kb bytes calories kcal liters litre liter l ml percent procent
  pct days dagen day dag hours hour uur minutes minuten min mins seconds seconden sec secs weeks weken months
  maanden years jaar jaren year labels orders bestellingen packages pakketten pages paginas rpm fps dpi
  characters tekens letters digits cijfers
`);

/** Words for "a security question": a mention arms the answer that may follow. */
export const SECURITY_QUESTION = words(`
  securityquestion securityquestions secretquestion secretquestions securityone securityanswer securityanswers
  secretanswer beveiligingsvraag beveiligingsvragen veiligheidsvraag veiligheidsvragen controlevraag
  controlevragen geheimevraag geheimevragen beveiligingsantwoord geheimantwoord
`);

/** One-word topics of security questions. */
export const ANSWER_TOPIC_WORDS = words(`
  maidenname meisjesnaam birthplace geboorteplaats geboortestad geboortedorp placeofbirth cityofbirth townofbirth
  birthcity birthtown lievelingsjuf lievelingsleraar lievelingsmeester lievelingslerares lievelingskleur
  lievelingseten lievelingsgerecht lievelingsboek lievelingsfilm lievelingsdier lievelingsband lievelingsvak
  childhoodnickname bijnaam jeugdvriend jeugdvriendin jeugdheld securityanswer secretanswer geheimantwoord
  beveiligingsantwoord
`);

/** Number words, English and Dutch: four or more in a row are a number read out. */
export const NUMBER_WORDS: ReadonlyMap<string, string> = new Map([
  ['zero', '0'],
  ['oh', '0'],
  ['one', '1'],
  ['two', '2'],
  ['three', '3'],
  ['four', '4'],
  ['five', '5'],
  ['six', '6'],
  ['seven', '7'],
  ['eight', '8'],
  ['nine', '9'],
  ['nul', '0'],
  ['een', '1'],
  ['één', '1'],
  ['twee', '2'],
  ['drie', '3'],
  ['vier', '4'],
  ['vijf', '5'],
  ['zes', '6'],
  ['zeven', '7'],
  ['acht', '8'],
  ['negen', '9'],
]);

/** Possessives and articles that may stand between a cue and a secret word: "is my password". */
export const DETERMINERS = words(`
  my mine the a an our your his her their this that
  mijn mn m'n min me de het t een ons onze jouw je uw zijn haar hun dit dat
`);

// ── the scanner's words ─────────────────────────────────────────────────────

export const QUOTES = new Set(['"', '“', '”', '„', '«', '»', "'", '‘', '’', '`']);
export const SENTENCE_ENDS = new Set(['.', '!', '?', ';', '…']);
export const TITLES = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'mevr', 'dhr', 'prof']);
// A dot after these abbreviates, it ends no sentence: "incl. netflix is …", "o.a. mijn mail".
export const ABBREVIATIONS = words('incl excl eg ie etc vs approx bv oa ca nr resp evt zgn ivm mbt tav mvg gr');
export const NAME_PARTICLES = new Set([
  'de',
  'van',
  'der',
  'den',
  'ter',
  'ten',
  't',
  'la',
  'le',
  'du',
  'von',
  'st',
  'sint',
  'san',
  'o',
]);
export const NEGATIONS = new Set([
  'not',
  'no',
  'never',
  'dont',
  'doesnt',
  'didnt',
  'cant',
  'cannot',
  'wont',
  'isnt',
  'wasnt',
  'niet',
  'geen',
  'nooit',
  'niks',
  'niets',
  'nothing',
]);
export const USER_LABELS = words(
  'login user username userid gebruikersnaam gebruiker inlognaam inlog account acct email e-mail mail id name naam',
);
export const ANSWER_CUES = words('is was are were called named genaamd heette heet heten said zei luidt its s');
export const FIRST_NOUNS = words(`
  pet pets huisdier huisdiertje dog cat hond kat poes school car auto teacher leraar lerares juf meester job baan
  concert boyfriend girlfriend vriendje vriendinnetje kiss love liefde phone telefoon album record plaat
`);
export const FAVOURITE = words('favourite favorite favoriete favoriet fav fave lievelings');
export const FAVOURITE_NOUNS = words(`
  teacher leraar lerares juf meester book boek food eten meal gerecht film movie colour color kleur band sport team
  singer zanger zangeres animal dier song liedje place plek city stad holiday vakantie subject vak toy speelgoed
`);
export const STREET_WORDS = words('street straat road weg laan lane avenue');
export const GREW_UP = words(
  'grew grow growing grewup opgegroeid opgroeide opgroeiden opgroeien childhood jeugd woonde lived',
);
export const BIRTH_PLACES = words('city town place plaats stad hospital ziekenhuis dorp village country land');
export const BORN = words('born geboren');
export const PARENTS_WORDS = words(
  'father mother dad mum mom vader moeder pa ma papa mama fathers mothers dads mums moms vaders moeders',
);
export const MIDDLE_NAME = words('middlename tweedenaam roepnaam');
export const ANSWER_WORDS = words('answer antwoord antw');
export const QUESTION_LABELS = words('q v vraag question');
export const RECOVERY_COUNTS = words('12 13 15 18 20 21 24 25');
// The words a security topic phrase starts with; any other word starts none.
export const TOPIC_STARTS = new Set([
  ...words(
    'first eerste 1st city stad plaats town best beste childhood jeugd kindertijd honeymoon huwelijksreis dreamjob droombaan',
  ),
  ...words('favourite favorite favoriete favoriet fav fave lievelings street straat road weg laan lane avenue'),
  ...words('village country land hospital ziekenhuis dorp place born geboren answer antwoord antw'),
  ...words('father mother dad mum mom vader moeder pa ma papa mama fathers mothers dads mums moms vaders moeders'),
]);
// Words between a label and its number: "order number is 482913", "ticket nr: 558812", "the ID is".
export const LABEL_FILLER = words(
  'is was number nummer no nr num id the de het my mijn your je uw our ons of van was says zegt',
);
// Labels of numbers that look like keys: "SN 8841 0932 7716", "licence XXXXX-XXXXX".
export const SERIAL_LABELS = words(
  'serial serialnumber serienummer sn imei iccid simkaartnummer model modelnummer part partnumber license licence licentie productkey product sku barcode ean kenmerk betalingskenmerk iban rekeningnummer',
);
export const FOLLOW_UP_LEADS = words(
  'sorry sry wait wacht found gevonden here hier hold hang on ah ahh oops oeps right yes yeah ja allez it het t one sec moment momentje even mine mijne',
);
// References that, standing between a code word and its cue, make the number one: "the code on the invoice is …".
export const FILLER_REFERENCES = words(
  'order bestelling factuur invoice ticket case dossier zaak klantnummer customer referentie reference ref',
);
export const IRREGULAR_PARTICIPLES = words(
  'given taken written chosen forgotten gotten done shown known seen sent set made put kept lost stolen broken',
);

// Long secret words a typo still names; short ones ("pin", "ww") would name too much.
export const TYPO_TARGETS: Array<[string, SecretWord]> = [
  ['password', { kind: 'password', role: undefined }],
  ['passcode', { kind: 'password', role: undefined }],
  ['passphrase', { kind: 'password', role: undefined }],
  ['wachtwoord', { kind: 'password', role: undefined }],
  ['paswoord', { kind: 'password', role: undefined }],
  ['toegangscode', { kind: 'password', role: undefined }],
  ['verificatiecode', { kind: 'verification_code', role: 'code' }],
  ['verificationcode', { kind: 'verification_code', role: 'code' }],
  ['herstelsleutel', { kind: 'recovery_key', role: undefined }],
  ['recoverykey', { kind: 'recovery_key', role: undefined }],
  ['meisjesnaam', { kind: 'security_answer', role: undefined }],
];

/** What a key is, when it is in the lexicon: a secret word, a word that is no secret, a security topic. */
export interface LexiconEntry {
  secret: SecretWord | undefined;
  notSecret: boolean;
  topic: boolean;
  /** The topic is "a security question" itself. */
  question: boolean;
}

/** Every key of the lists above in one map, the stronger reading winning: no secret > secret > question > topic. */
export const LEXICON = new Map<string, LexiconEntry>();
/** Every prefix of every key of {@link LEXICON}: a run of words that is no prefix cannot become an entry. */
export const LEXICON_PREFIXES = new Set<string>();
{
  const put = (key: string, partial: Partial<LexiconEntry>) => {
    const entry: LexiconEntry = {
      secret: partial.secret,
      notSecret: partial.notSecret === true,
      topic: partial.topic === true,
      question: partial.question === true,
    };
    LEXICON.set(key, entry);
    for (let i = 1; i <= key.length; i++) LEXICON_PREFIXES.add(key.slice(0, i));
  };
  for (const key of [
    ...ANSWER_TOPIC_WORDS,
    ...words('basisschool lagereschool primaryschool elementaryschool juniorschool gradeschool kleuterschool'),
  ])
    put(key, { topic: true });
  for (const key of SECURITY_QUESTION) put(key, { topic: true, question: true });
  for (const [key, secret] of SECRET_WORDS) put(key, { secret });
  for (const key of NOT_SECRET_WORDS) put(key, { notSecret: true });
}
