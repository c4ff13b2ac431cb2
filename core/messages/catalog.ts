import { assertSafeOutboundRemembered } from '../guard/outbound.ts';

export type Locale = 'en' | 'nl';
export const LOCALES: readonly Locale[] = ['en', 'nl'];

/** The reassurance every customer-facing prompt carries. */
export const REASSURANCE: Readonly<Record<Locale, string>> = {
  en: 'We will never ask for your password, verification codes, recovery key or security answers.',
  nl: 'We vragen nooit om je wachtwoord, verificatiecodes, herstelsleutel of antwoorden op beveiligingsvragen.',
};

type Entry = Readonly<Record<Locale, string>>;

/**
 * A prompt to a customer (what to do now, or the chat's welcome): the reassurance is appended here, so no
 * prompt can go out without it. Outcome lines do without: once per conversation and on each prompt is enough.
 */
function customer(en: string, nl: string): Entry {
  // After a paragraph break (an email's closing line) it starts its own line, with no space in front.
  const join = (text: string, tail: string) => (/\s$/u.test(text) ? `${text}${tail}` : `${text} ${tail}`);
  return { en: join(en, REASSURANCE.en), nl: join(nl, REASSURANCE.nl) };
}

/**
 * Every text support-verify shows a person. Keys starting with `customer.`, `device.`, `portal.` or `mail.`
 * reach customers; `agent.` keys reach support agents. `{name}` placeholders are filled by {@link renderMessage};
 * `{name:one|other}` is a count with its noun, in the form the language's plural rules pick ("1 minute").
 */
export const MESSAGES = {
  // Agents
  'agent.choose_method': {
    en: 'Choose how {customer} confirms it is them.',
    nl: 'Kies hoe {customer} bevestigt dat het om hen gaat.',
  },
  'agent.available.device_cooldown': {
    en: 'Device prompt: not before {until} — the customer declined one, so prompts are paused.',
    nl: 'Apparaatmelding: niet voor {until} — de klant weigerde er een, dus meldingen zijn gepauzeerd.',
  },
  'agent.available.device_pending': {
    en: 'Device prompt: another prompt to this account is waiting for an answer until {until}.',
    nl: 'Apparaatmelding: een andere melding aan dit account wacht tot {until} op antwoord.',
  },
  'agent.available.device_quota': {
    en: 'Device prompt: too many prompts to this account recently; the next can go at {until}.',
    nl: 'Apparaatmelding: te veel meldingen aan dit account kort na elkaar; de volgende kan om {until}.',
  },
  'agent.available.pin_locked': {
    en: 'Support PIN: locked until {until} after too many wrong PINs. The customer cannot make a new one before then.',
    nl: 'Support-pincode: geblokkeerd tot {until} na te veel verkeerde pincodes. De klant kan tot dan geen nieuwe maken.',
  },
  'agent.available.pin_failures_left': {
    en: 'Support PIN: {tries:wrong PIN|wrong PINs} left today before PIN checks for this account lock for 24 hours.',
    nl: 'Support-pincode: nog {tries:verkeerde pincode|verkeerde pincodes} vandaag voordat pincodecontroles voor dit account 24 uur blokkeren.',
  },
  'agent.available.none': {
    en: 'Neither method can be used now. Cancel, and try again after the times above.',
    nl: 'Geen van beide methoden kan nu. Annuleer en probeer het na de tijden hierboven opnieuw.',
  },
  'agent.available.grant_mine': {
    en: 'You already have access to this account until {until}; you do not need to verify again.',
    nl: 'Je hebt al toegang tot dit account tot {until}; opnieuw verifiëren is niet nodig.',
  },
  'agent.available.grant_theirs': {
    en: '{agent} already has access to this account until {until}.',
    nl: '{agent} heeft al toegang tot dit account tot {until}.',
  },
  'agent.pin_not_accepted': { en: 'That PIN was not accepted.', nl: 'Die pincode is niet geaccepteerd.' },
  'agent.closed.denial': {
    en: 'Access ended: the customer said no to a later verification of this account. Security has been notified.',
    nl: 'Toegang beëindigd: de klant weigerde een latere verificatie van dit account. Security is op de hoogte gebracht.',
  },
  'agent.closed.fraud': {
    en: 'Access ended: the customer reported a later verification of this account as fraud. Security has been notified.',
    nl: 'Toegang beëindigd: de klant meldde een latere verificatie van dit account als fraude. Security is op de hoogte gebracht.',
  },
  'agent.closed.pin_lock': {
    en: 'Access ended: PIN checks for this account locked after too many wrong PINs.',
    nl: 'Toegang beëindigd: pincodecontroles voor dit account zijn geblokkeerd na te veel verkeerde pincodes.',
  },
  'agent.method.device': { en: 'Prompt on their trusted device', nl: 'Melding op hun vertrouwde apparaat' },
  'agent.method.pin': { en: 'Support PIN they read out', nl: 'Support-pincode die ze voorlezen' },
  'agent.method.unavailable_device': {
    en: 'No trusted device on this account: use the support PIN.',
    nl: 'Geen vertrouwd apparaat op dit account: gebruik de support-pincode.',
  },
  'agent.waiting_device': {
    en: 'Waiting for {customer} to confirm on their {device}.',
    nl: 'Wachten tot {customer} bevestigt op hun {device}.',
  },
  'agent.waiting_device.number': {
    en: 'Give the customer this number to pick on their device: {number}',
    nl: 'Geef de klant dit nummer om op het apparaat te kiezen: {number}',
  },
  'agent.pin_entry': {
    en: 'Type the 4-digit support PIN the customer reads out to you.',
    nl: 'Typ de 4-cijferige support-pincode die de klant voorleest.',
  },
  'agent.pin_rejected': {
    en: 'That PIN was not accepted. Tries left: {tries}. Ask the customer to check the PIN in their account portal.',
    nl: 'Die pincode is niet geaccepteerd. Pogingen over: {tries}. Laat de klant de pincode in hun accountportaal nakijken.',
  },
  'agent.verified': {
    en: '{customer} is verified. You can see their limited profile and device serial numbers until {until}.',
    nl: '{customer} is geverifieerd. Je ziet hun beperkte profiel en serienummers van apparaten tot {until}.',
  },
  'agent.denied': {
    en: 'The customer tapped Don’t confirm — do not proceed. Security has been notified.',
    nl: 'De klant tikte op Niet bevestigen — ga niet verder. Security is op de hoogte gebracht.',
  },
  'agent.denied.fraud': {
    en: 'The customer reported this request as fraud — do not proceed. Security has been notified.',
    nl: 'De klant heeft dit verzoek als fraude gemeld — ga niet verder. Security is op de hoogte gebracht.',
  },
  'agent.denied.number_mismatch': {
    en: 'The customer picked a different number on their device — do not proceed. Security has been notified.',
    nl: 'De klant koos een ander nummer op het apparaat — ga niet verder. Security is op de hoogte gebracht.',
  },
  'agent.failed.tries': {
    en: 'Verification failed: too many wrong PINs. That PIN no longer works.',
    nl: 'Verificatie mislukt: te veel verkeerde pincodes. Die pincode werkt niet meer.',
  },
  'agent.failed.locked': {
    en: 'Verification failed: PIN checks for this account are locked for 24 hours after too many wrong PINs.',
    nl: 'Verificatie mislukt: pincodecontroles voor dit account zijn 24 uur geblokkeerd na te veel verkeerde pincodes.',
  },
  'agent.expired': {
    en: 'This verification expired before the customer finished. Start a new one if you still need it.',
    nl: 'Deze verificatie is verlopen voordat de klant klaar was. Start een nieuwe als dat nog nodig is.',
  },
  'agent.cancelled': { en: 'Verification cancelled.', nl: 'Verificatie geannuleerd.' },
  'agent.closed.revoked': { en: 'Access revoked.', nl: 'Toegang ingetrokken.' },
  'agent.closed.expired': { en: 'Access ended at {until}.', nl: 'Toegang is beëindigd om {until}.' },
  'agent.closed.conversation': {
    en: 'Access ended because the support conversation closed.',
    nl: 'Toegang is beëindigd omdat het supportgesprek is gesloten.',
  },
  'agent.unknown_customer': {
    en: 'No customer matches that email, phone or account id. Check it with the customer and try again.',
    nl: 'Geen klant gevonden met dat e-mailadres, telefoonnummer of account-id. Controleer het met de klant en probeer opnieuw.',
  },
  'agent.not_authorized': {
    en: 'Sorry, you are not set up to verify customers. Ask your support admin to add you.',
    nl: 'Sorry, je bent niet ingesteld om klanten te verifiëren. Vraag je supportbeheerder om je toe te voegen.',
  },
  'agent.store_unavailable': {
    en: 'Verification is temporarily unavailable. Nothing was verified or granted; please try again in a moment.',
    nl: 'Verificatie is tijdelijk niet beschikbaar. Er is niets geverifieerd of vrijgegeven; probeer het zo opnieuw.',
  },
  'agent.directory_unavailable': {
    en: 'The account directory did not answer, so the customer could not be looked up. Nothing was verified or granted; please try again in a moment.',
    nl: 'De accountdirectory gaf geen antwoord, dus de klant kon niet worden opgezocht. Er is niets geverifieerd of vrijgegeven; probeer het zo opnieuw.',
  },
  'agent.prompt_refused.pending': {
    en: 'A device prompt for this account is still waiting for an answer. Wait for it, or use the support PIN.',
    nl: 'Er wacht nog een apparaatmelding voor dit account op antwoord. Wacht daarop, of gebruik de support-pincode.',
  },
  'agent.prompt_refused.limit': {
    en: 'Too many device prompts for this account recently. Try again in {minutes} min, or use the support PIN.',
    nl: 'Te veel apparaatmeldingen voor dit account kort na elkaar. Probeer het over {minutes} min opnieuw, of gebruik de support-pincode.',
  },
  'agent.prompt_refused.cooldown': {
    en: 'The customer recently refused a device prompt. No new prompt for {minutes} min; use the support PIN.',
    nl: 'De klant weigerde onlangs een apparaatmelding. Geen nieuwe melding gedurende {minutes} min; gebruik de support-pincode.',
  },
  'agent.script.device': {
    en: 'Say to the customer: “{script}”',
    nl: 'Zeg tegen de klant: “{script}”',
  },
  'agent.script.pin': {
    en: 'Say to the customer: “{script}”',
    nl: 'Zeg tegen de klant: “{script}”',
  },

  'agent.title': { en: 'Verify {customer}', nl: 'Verifieer {customer}' },
  'agent.started_dm': {
    en: 'Verification of {customer} started. Your private card is in your messages with support-verify.',
    nl: 'Verificatie van {customer} gestart. Je privékaart staat in je berichten met support-verify.',
  },
  'agent.usage': {
    en: 'Usage: /verify followed by the customer’s email, phone number or account id.',
    nl: 'Gebruik: /verify gevolgd door het e-mailadres, telefoonnummer of account-id van de klant.',
  },
  'agent.teams.usage': {
    en: 'Type verify followed by the customer’s email, phone number or account id, for example: verify alex@example.com. Or choose “Verify customer” in the … menu of the customer’s message.',
    nl: 'Typ verify gevolgd door het e-mailadres, telefoonnummer of account-id van de klant, bijvoorbeeld: verify alex@example.com. Of kies “Klant verifiëren” in het …-menu van het bericht van de klant.',
  },
  'agent.teams.private': {
    en: 'Verification by {agent}: {state}. Only {agent} sees the details.',
    nl: 'Verificatie door {agent}: {state}. Alleen {agent} ziet de details.',
  },
  'agent.relay_refused': {
    en: 'Not sent: that message asks the customer for a secret. We never ask for passwords, codes, recovery keys or security answers.',
    nl: 'Niet verstuurd: dat bericht vraagt de klant om een geheim. We vragen nooit om wachtwoorden, codes, herstelsleutels of antwoorden op beveiligingsvragen.',
  },
  'agent.pin_busy': {
    en: 'A PIN check for this verification is already running. Try again in a moment.',
    nl: 'Er loopt al een pincodecontrole voor deze verificatie. Probeer het zo opnieuw.',
  },
  'agent.pin_invalid': {
    en: 'A support PIN is exactly 4 digits.',
    nl: 'Een support-pincode bestaat uit precies 4 cijfers.',
  },
  'agent.rate_limited': {
    en: 'You have started as many verifications as one agent may in an hour. Security has been told; you can start another in {minutes} min.',
    nl: 'Je hebt het maximale aantal verificaties per uur voor één medewerker gestart. Security is op de hoogte; over {minutes} min kun je een nieuwe starten.',
  },
  'agent.still_working': {
    en: 'Still working on it. This card updates as soon as it is done.',
    nl: 'We zijn er nog mee bezig. Deze kaart wordt bijgewerkt zodra het klaar is.',
  },
  'agent.delivery_failed': {
    en: 'The device prompt could not be delivered. Try again, or use the support PIN.',
    nl: 'De apparaatmelding kon niet worden bezorgd. Probeer het opnieuw, of gebruik de support-pincode.',
  },
  'agent.not_your_verification': {
    en: 'Only the agent who started this verification can act on it.',
    nl: 'Alleen de medewerker die deze verificatie startte, kan hierop reageren.',
  },
  'agent.conversation_busy': {
    en: '{agent} is already verifying the customer in this conversation. Nothing new was started; you can start one once theirs has ended.',
    nl: '{agent} verifieert de klant in dit gesprek al. Er is niets nieuws gestart; je kunt er een starten zodra die verificatie klaar is.',
  },
  'agent.customer.named': {
    en: 'Customer in this conversation: {customer}. Only their PIN counts.',
    nl: 'Klant in dit gesprek: {customer}. Alleen hun pincode telt.',
  },
  'agent.customer.waiting': {
    en: 'No customer named: the customer is asked to press “It’s me” in the conversation, and you will see here who did.',
    nl: 'Geen klant gekozen: de klant wordt gevraagd in het gesprek op “Dat ben ik” te drukken, en je ziet hier wie dat deed.',
  },
  'agent.customer.not_in_chat': {
    en: 'That person is not in this conversation (or is you), so they cannot be the customer here. Pick someone else, or nobody to let the customer identify themselves.',
    nl: 'Die persoon zit niet in dit gesprek (of ben jij), en kan hier dus niet de klant zijn. Kies iemand anders, of niemand zodat de klant zichzelf aanwijst.',
  },
  'agent.customer.not_external': {
    en: '{customer} is in your own organisation, so they cannot be the customer here. Pick someone from outside it, or leave the field empty to let the customer identify themselves.',
    nl: '{customer} hoort bij je eigen organisatie en kan hier dus niet de klant zijn. Kies iemand van buiten, of laat het veld leeg zodat de klant zichzelf aanwijst.',
  },
  'agent.no_longer_pending': {
    en: 'This step is no longer possible: the verification has moved on.',
    nl: 'Deze stap kan niet meer: de verificatie is al verder.',
  },
  'agent.customer_in_channel': {
    en: 'The customer sees the instructions in the conversation and can type the PIN there privately.',
    nl: 'De klant ziet de instructies in het gesprek en kan de pincode daar privé invoeren.',
  },
  'agent.access_until': { en: 'Access until {until}', nl: 'Toegang tot {until}' },
  'agent.number': { en: 'Number for the customer to pick', nl: 'Nummer dat de klant moet kiezen' },
  'agent.expires': { en: 'Prompt expires {until}', nl: 'Melding verloopt {until}' },
  'agent.home.title': { en: 'Your verifications', nl: 'Jouw verificaties' },
  'agent.home.intro': {
    en: 'Start one with /verify and the customer’s email, phone or account id, or with “Verify this customer” on their message.',
    nl: 'Start er een met /verify en het e-mailadres, telefoonnummer of account-id van de klant, of met “Verifieer deze klant” op hun bericht.',
  },
  'agent.home.grants': { en: 'Active access', nl: 'Actieve toegang' },
  'agent.home.no_grants': { en: 'No active access right now.', nl: 'Op dit moment geen actieve toegang.' },
  'agent.home.recent': { en: 'Recent verifications', nl: 'Recente verificaties' },
  'agent.home.none': { en: 'No verifications yet.', nl: 'Nog geen verificaties.' },

  // Short labels: buttons, fields, modal titles
  'label.device': { en: 'Prompt their device', nl: 'Melding naar apparaat' },
  'label.pin': { en: 'Use support PIN', nl: 'Support-pincode gebruiken' },
  'label.enter_pin': { en: 'Enter PIN', nl: 'Pincode invoeren' },
  'label.cancel': { en: 'Cancel', nl: 'Annuleren' },
  'label.revoke': { en: 'Revoke access', nl: 'Toegang intrekken' },
  'label.revoke.title': { en: 'Revoke access?', nl: 'Toegang intrekken?' },
  'label.revoke.text': {
    en: 'You will no longer see this customer’s details.',
    nl: 'Je ziet de gegevens van deze klant dan niet meer.',
  },
  'label.revoke.keep': { en: 'Keep access', nl: 'Toegang houden' },
  'label.revoke.confirm': { en: 'Yes, revoke access now', nl: 'Ja, toegang nu intrekken' },
  'label.pin_modal.title': { en: 'Support PIN', nl: 'Support-pincode' },
  'label.pin_modal.agent_field': { en: 'PIN the customer reads out', nl: 'Pincode die de klant voorleest' },
  'label.pin_modal.customer_field': { en: 'Your 4-digit support PIN', nl: 'Je 4-cijferige support-pincode' },
  'label.pin_modal.submit': { en: 'Check', nl: 'Controleren' },
  'label.pin_modal.close': { en: 'Close', nl: 'Sluiten' },
  'label.verify_modal.title': { en: 'Verify customer', nl: 'Klant verifiëren' },
  'label.verify_modal.submit': { en: 'Start', nl: 'Starten' },
  'label.verify_modal.field': { en: 'Email, phone or account id', nl: 'E-mail, telefoon of account-id' },
  'label.tries_left': { en: 'Tries left: {tries}', nl: 'Pogingen over: {tries}' },
  'label.chat.title': { en: '{company} support', nl: 'Support van {company}' },
  'label.chat.you': { en: 'You', nl: 'Jij' },
  'label.chat.agent': { en: 'Support agent', nl: 'Supportmedewerker' },
  'label.chat.bot': { en: 'Support Verify', nl: 'Support Verify' },
  'label.chat.message': { en: 'Your message', nl: 'Je bericht' },
  'label.chat.send': { en: 'Send', nl: 'Versturen' },
  'label.chat.log': { en: 'Conversation', nl: 'Gesprek' },
  'label.chat.pin': { en: 'Your 4-digit support PIN', nl: 'Je 4-cijferige support-pincode' },
  'label.chat.pin_send': { en: 'Check PIN', nl: 'Pincode controleren' },
  'label.chat.number': {
    en: 'Pick this number on your device, then tap Confirm:',
    nl: 'Kies dit nummer op je apparaat en tik dan op Bevestigen:',
  },
  'label.chat.expires_in': {
    en: 'The prompt expires in {seconds} s (at {time}).',
    nl: 'De melding verloopt over {seconds} s (om {time}).',
  },
  'label.chat.expired': {
    en: 'This prompt has expired. Your agent can send a new one.',
    nl: 'Deze melding is verlopen. Je medewerker kan een nieuwe sturen.',
  },
  'label.chat.reconnecting': { en: 'Reconnecting…', nl: 'Opnieuw verbinden…' },
  'label.chat.replaced': {
    en: 'This chat is open in another window or tab, so updates go there now.',
    nl: 'Dit gesprek is open in een ander venster of tabblad, dus updates komen daar nu binnen.',
  },
  'label.chat.idle': {
    en: 'Live updates paused while the chat was quiet.',
    nl: 'Live updates gepauzeerd omdat het stil was in het gesprek.',
  },
  'label.chat.resume': { en: 'Continue here', nl: 'Hier verdergaan' },
  'label.chat.end': { en: 'End chat', nl: 'Gesprek beëindigen' },
  'label.chat.new': { en: 'Start a new chat', nl: 'Nieuw gesprek starten' },
  'label.chat.failed': { en: 'Something went wrong. Please try again.', nl: 'Er ging iets mis. Probeer het opnieuw.' },
  'label.chat.relay_new': {
    en: 'New web chat conversation (customer’s language: {locale}). Reply in this thread to answer the customer.',
    nl: 'Nieuw webchatgesprek (taal van de klant: {locale}). Antwoord in deze thread om de klant te antwoorden.',
  },
  'label.chat.relay_teams_verify': {
    en: 'To verify the customer, reply here: @Support Verify verify followed by their email, phone or account id.',
    nl: 'Verifieer de klant door hier te antwoorden: @Support Verify verify gevolgd door e-mail, telefoon of account-id.',
  },
  'label.chat.relay_customer': { en: 'Customer', nl: 'Klant' },
  'label.chat.relay_customer_wrote': {
    en: 'The customer wrote in the web chat (their words, shown as typed):',
    nl: 'De klant schreef in de webchat (hun woorden, zoals getypt):',
  },
  'label.chat.relay_verify': { en: 'Verify this customer', nl: 'Verifieer deze klant' },
  'label.chat.relay_hint': {
    en: 'Secrets the customer types are hidden before they reach this thread. To verify the customer, press the button or reply here: verify followed by their email, phone or account id.',
    nl: 'Geheimen die de klant typt, worden verborgen voordat ze deze thread bereiken. Verifieer de klant met de knop of antwoord hier: verify gevolgd door e-mail, telefoon of account-id.',
  },
  'label.customer.enter_pin': { en: 'Enter support PIN', nl: 'Support-pincode invoeren' },
  'label.customer.identify': { en: 'It’s me', nl: 'Dat ben ik' },
  'label.customer.confirm': { en: 'Confirm it’s you', nl: 'Bevestig dat jij het bent' },
  'label.customer.for': { en: 'For {customer}', nl: 'Voor {customer}' },
  'label.verify_modal.customer': { en: 'Customer in this conversation', nl: 'Klant in dit gesprek' },
  'label.verify_modal.customer_hint': {
    en: 'Only this person’s PIN will count. Leave it empty to let the customer press “It’s me”.',
    nl: 'Alleen de pincode van deze persoon telt. Laat het leeg om de klant op “Dat ben ik” te laten drukken.',
  },
  'label.verify_modal.customer_nobody': {
    en: 'Nobody yet: the customer presses “It’s me”',
    nl: 'Nog niemand: de klant drukt op “Dat ben ik”',
  },
  'label.verify_modal.customer_none': {
    en: 'No one from outside your organisation is in this conversation that the app can see: the customer will be asked to press “It’s me”.',
    nl: 'De app ziet niemand van buiten je organisatie in dit gesprek: de klant wordt gevraagd op “Dat ben ik” te drukken.',
  },
  'label.profile.email': { en: 'Email', nl: 'E-mail' },
  'label.profile.plan': { en: 'Plan', nl: 'Abonnement' },
  'label.profile.member_since': { en: 'Member since', nl: 'Klant sinds' },
  'label.profile.devices': { en: 'Devices', nl: 'Apparaten' },
  'label.profile.serial': { en: 'serial', nl: 'serienummer' },
  'label.state.started': { en: 'Choosing method', nl: 'Methode kiezen' },
  'label.state.awaiting_device': { en: 'Waiting for device', nl: 'Wacht op apparaat' },
  'label.state.awaiting_pin': { en: 'Waiting for PIN', nl: 'Wacht op pincode' },
  'label.state.verified': { en: 'Verified', nl: 'Geverifieerd' },
  'label.state.denied': { en: 'Denied', nl: 'Geweigerd' },
  'label.state.failed': { en: 'Failed', nl: 'Mislukt' },
  'label.state.expired': { en: 'Expired', nl: 'Verlopen' },
  'label.state.cancelled': { en: 'Cancelled', nl: 'Geannuleerd' },
  'label.state.closed': { en: 'Access ended', nl: 'Toegang beëindigd' },

  // Customers, in chat or read out by the agent
  'customer.device.instructions': customer(
    '{agent} from {company} asked to check that this is your account. We sent a prompt to your {device}. Pick the number {number} there, then tap Confirm. If you did not ask for help, tap Don’t confirm.',
    '{agent} van {company} wil controleren dat dit jouw account is. We hebben een melding naar je {device} gestuurd. Kies daar het nummer {number} en tik op Bevestigen. Heb je geen hulp gevraagd, tik dan op Niet bevestigen.',
  ),
  'customer.device.instructions_plain': customer(
    '{agent} from {company} asked to check that this is your account. We sent a prompt to your {device}: tap Confirm there. If you did not ask for help, tap Don’t confirm.',
    '{agent} van {company} wil controleren dat dit jouw account is. We hebben een melding naar je {device} gestuurd: tik daar op Bevestigen. Heb je geen hulp gevraagd, tik dan op Niet bevestigen.',
  ),
  'customer.pin.instructions': customer(
    'To confirm it is you, open your account portal, choose “Generate support PIN” and read the 4 digits to {agent}. The PIN works once and expires after {minutes:minute|minutes}.',
    'Open je accountportaal, kies “Support-pincode maken” en lees de 4 cijfers voor aan {agent} om te bevestigen dat jij het bent. De pincode werkt één keer en verloopt na {minutes:minuut|minuten}.',
  ),
  'customer.pin.not_accepted': customer(
    'That PIN was not accepted. Tries left: {tries}. You can generate a new PIN in your account portal.',
    'Die pincode is niet geaccepteerd. Pogingen over: {tries}. Je kunt een nieuwe pincode maken in je accountportaal.',
  ),
  'customer.secret_warning': {
    en: 'Please don’t share passwords, verification codes, recovery keys or security answers here — we hid what you sent, and it was not stored.',
    nl: 'Deel hier alsjeblieft geen wachtwoorden, verificatiecodes, herstelsleutels of antwoorden op beveiligingsvragen — we hebben verborgen wat je stuurde en het is niet bewaard.',
  },
  'customer.pin_early': {
    en: 'We hid that PIN for now: share your support PIN only when your agent asks for it, and generate a new one then if this one has expired.',
    nl: 'We hebben die pincode voorlopig verborgen: geef je support-pincode pas als je medewerker erom vraagt, en maak dan een nieuwe als deze verlopen is.',
  },
  'customer.identify': customer(
    '{agent} from {company} is verifying a customer in this conversation. If that is you, press “It’s me”, then enter the support PIN from your account portal.',
    '{agent} van {company} verifieert een klant in dit gesprek. Ben jij dat, druk dan op “Dat ben ik” en voer daarna de support-pincode uit je accountportaal in.',
  ),
  'customer.identified': {
    en: 'Thank you: this verification is now yours. Press “Enter support PIN” when you have your support PIN.',
    nl: 'Dank je: deze verificatie is nu van jou. Druk op “Support-pincode invoeren” zodra je je support-pincode hebt.',
  },
  'customer.not_yours': {
    en: 'This verification is for someone else in this conversation, so nothing you enter here counts and nothing was checked.',
    nl: 'Deze verificatie is voor iemand anders in dit gesprek, dus wat je hier invoert telt niet en er is niets gecontroleerd.',
  },
  'customer.identify_first': {
    en: 'Press “It’s me” on the verification message first, so we know who to check; then enter your support PIN there. Nothing was checked yet.',
    nl: 'Druk eerst op “Dat ben ik” bij het verificatiebericht, zodat we weten wie we controleren; voer daarna daar je support-pincode in. Er is nog niets gecontroleerd.',
  },
  'customer.pin_early.delete': {
    en: 'Please share your support PIN only when your agent asks for it — you can delete that message, and generate a new PIN then.',
    nl: 'Geef je support-pincode alsjeblieft pas als je medewerker erom vraagt — je kunt dat bericht verwijderen en dan een nieuwe pincode maken.',
  },
  'customer.secret_warning.delete': {
    en: 'Please don’t share passwords, verification codes, recovery keys or security answers here — please delete that message. We did not store it, and we never need it.',
    nl: 'Deel hier alsjeblieft geen wachtwoorden, verificatiecodes, herstelsleutels of antwoorden op beveiligingsvragen — verwijder dat bericht alsjeblieft. We hebben het niet bewaard en hebben het nooit nodig.',
  },
  'customer.chat.welcome': customer(
    'Hi! Tell us what you need help with, and a support agent will be with you shortly.',
    'Hallo! Vertel ons waarmee we je kunnen helpen; een supportmedewerker is zo bij je.',
  ),
  'customer.chat.ended': {
    en: 'You ended this chat. Any check of your account that was running has stopped, and the agent no longer sees your details.',
    nl: 'Je hebt dit gesprek beëindigd. Een lopende controle van je account is gestopt en de medewerker ziet je gegevens niet meer.',
  },
  'customer.chat.pin': customer(
    'To confirm it is you, open your account portal, choose “Generate support PIN”, and type the 4 digits in the PIN field below — they stay private. The PIN works once and expires after {minutes:minute|minutes}.',
    'Open je accountportaal en kies “Support-pincode maken” om te bevestigen dat jij het bent, en typ de 4 cijfers in het pincodeveld hieronder — die blijven privé. De pincode werkt één keer en verloopt na {minutes:minuut|minuten}.',
  ),
  'customer.pin.instructions_button': customer(
    'To confirm it is you, open your account portal, choose “Generate support PIN”, then press “Enter support PIN” below and type the 4 digits — they stay private. The PIN works once and expires after {minutes:minute|minutes}.',
    'Open je accountportaal en kies “Support-pincode maken” om te bevestigen dat jij het bent. Druk daarna hieronder op “Support-pincode invoeren” en typ de 4 cijfers — die blijven privé. De pincode werkt één keer en verloopt na {minutes:minuut|minuten}.',
  ),
  'customer.verified': {
    en: 'Thanks, you are verified. {agent} can see your devices’ serial numbers and a limited profile until {until}. They cannot change your account.',
    nl: 'Bedankt, je bent geverifieerd. {agent} kan tot {until} de serienummers van je apparaten en een beperkt profiel zien. Je account wijzigen kan niet.',
  },
  'customer.denied': {
    en: 'You refused the request, so nothing was shared. If you did not ask for help, you can ignore it — your account is safe.',
    nl: 'Je hebt het verzoek geweigerd, dus er is niets gedeeld. Heb je geen hulp gevraagd, dan kun je dit negeren — je account is veilig.',
  },
  'customer.fraud_reported': {
    en: 'You reported this request, so nothing was shared and our security team has been told. Your account is safe.',
    nl: 'Je hebt dit verzoek gemeld, dus er is niets gedeeld en ons securityteam is op de hoogte gebracht. Je account is veilig.',
  },
  'customer.number_mismatch': {
    en: 'The number you picked did not match, so nothing was shared. Your agent can send a new prompt if you still need help.',
    nl: 'Het nummer dat je koos klopte niet, dus er is niets gedeeld. Je medewerker kan een nieuwe melding sturen als je nog hulp nodig hebt.',
  },
  'customer.failed': {
    en: 'We could not confirm it is you, so nothing was shared. You can try again with a new support PIN later.',
    nl: 'We konden niet bevestigen dat jij het bent, dus er is niets gedeeld. Je kunt het later opnieuw proberen met een nieuwe support-pincode.',
  },
  'customer.expired': {
    en: 'The check timed out, so nothing was shared. Your agent can start a new one.',
    nl: 'De controle is verlopen, dus er is niets gedeeld. Je medewerker kan een nieuwe starten.',
  },
  'customer.cancelled': {
    en: 'The check was cancelled, so nothing was shared.',
    nl: 'De controle is geannuleerd, dus er is niets gedeeld.',
  },

  // Trusted device and account portal
  'device.prompt.title': { en: 'Is this you asking for help?', nl: 'Vraag jij om hulp?' },
  'device.prompt.body': customer(
    '{agent} from {company} ({channel}) wants to confirm that you are the person they are helping.',
    '{agent} van {company} ({channel}) wil bevestigen dat jij de persoon bent die ze helpen.',
  ),
  'device.confirm': { en: 'Confirm', nl: 'Bevestigen' },
  'device.deny': { en: 'Don’t confirm', nl: 'Niet bevestigen' },
  'device.fraud': { en: 'Report fraud', nl: 'Fraude melden' },
  'device.none': { en: 'No requests.', nl: 'Geen verzoeken.' },
  'device.pick_first': {
    en: 'Pick the number your support agent gave you first, then tap Confirm.',
    nl: 'Kies eerst het nummer dat je supportmedewerker je gaf en tik dan op Bevestigen.',
  },
  'device.expires_in': { en: 'This request expires in {seconds} s.', nl: 'Dit verzoek verloopt over {seconds} s.' },
  'device.expired': {
    en: 'This request has expired. Nothing was shared.',
    nl: 'Dit verzoek is verlopen. Er is niets gedeeld.',
  },
  'device.done.confirmed': {
    en: 'You confirmed it is you. {agent} can now help you.',
    nl: 'Je hebt bevestigd dat jij het bent. {agent} kan je nu helpen.',
  },
  'device.done.denied': {
    en: 'You said no, so nothing was shared.',
    nl: 'Je zei nee, dus er is niets gedeeld.',
  },
  'device.done.fraud': {
    en: 'You reported this. Nothing was shared, and our security team has been told.',
    nl: 'Je hebt dit gemeld. Er is niets gedeeld en ons securityteam is op de hoogte gebracht.',
  },
  'device.done.gone': {
    en: 'This request had already ended, so your answer changed nothing.',
    nl: 'Dit verzoek was al beëindigd, dus je antwoord veranderde niets.',
  },
  'device.done.ok': { en: 'Done', nl: 'Klaar' },
  'device.prompt.pick_number': {
    en: 'Pick the number your support agent gave you.',
    nl: 'Kies het nummer dat je supportmedewerker je gaf.',
  },
  'device.report': { en: 'I didn’t ask for this', nl: 'Ik heb hier niet om gevraagd' },
  'device.confirm.title': { en: 'Confirm it’s you', nl: 'Bevestig dat jij het bent' },
  'device.confirm.until': { en: 'Answer before {until}.', nl: 'Antwoord vóór {until}.' },
  'device.confirm.passkey': {
    en: 'Confirm opens your device’s screen lock or fingerprint check: that is how we know it is your registered device. We never see it.',
    nl: 'Bevestigen opent de schermvergrendeling of vingerafdrukcontrole van je apparaat: zo weten we dat het jouw geregistreerde apparaat is. Wij zien die nooit.',
  },
  'device.confirm.not_this_device': {
    en: 'This device is not one of your trusted devices, so it cannot confirm. Use a device you registered, or ask your agent for a support PIN.',
    nl: 'Dit apparaat is niet een van je vertrouwde apparaten, dus het kan niet bevestigen. Gebruik een apparaat dat je hebt geregistreerd, of vraag je medewerker om een support-pincode.',
  },
  'device.confirm.try_again': {
    en: 'That did not work. Tap Confirm to try again.',
    nl: 'Dat lukte niet. Tik op Bevestigen om het opnieuw te proberen.',
  },
  'device.confirm.bad_link': {
    en: 'This link does not open a request. Use the newest message from us, or ask your agent to send a new prompt.',
    nl: 'Deze link opent geen verzoek. Gebruik het nieuwste bericht van ons, of vraag je medewerker een nieuwe melding te sturen.',
  },
  'device.push.title': { en: 'Confirm it’s you to {company}', nl: 'Bevestig aan {company} dat jij het bent' },
  'device.push.body': {
    en: '{agent} from {company} support is asking. Tap to answer before {until}.',
    nl: '{agent} van support van {company} vraagt het. Tik om te antwoorden vóór {until}.',
  },
  'label.devices.title': { en: 'Your trusted devices', nl: 'Je vertrouwde apparaten' },
  'portal.devices.intro': customer(
    'When you contact {company} support, they can ask you to confirm it is you on one of these devices, with its screen lock.',
    'Als je contact opneemt met support van {company}, kunnen ze je vragen op een van deze apparaten te bevestigen dat jij het bent, met de schermvergrendeling.',
  ),
  'portal.devices.none': {
    en: 'No trusted devices yet. Add this one to confirm it is you when you contact support.',
    nl: 'Nog geen vertrouwde apparaten. Voeg dit apparaat toe om te bevestigen dat jij het bent als je contact opneemt met support.',
  },
  'label.devices.name': { en: 'Name this device', nl: 'Geef dit apparaat een naam' },
  'label.devices.name_hint': { en: 'For example “Jan’s iPhone”', nl: 'Bijvoorbeeld “iPhone van Jan”' },
  'label.devices.add': { en: 'Add this device', nl: 'Dit apparaat toevoegen' },
  'portal.devices.added': { en: '“{device}” was added.', nl: '“{device}” is toegevoegd.' },
  'label.devices.remove': { en: 'Remove', nl: 'Verwijderen' },
  'portal.devices.removed': { en: '“{device}” was removed.', nl: '“{device}” is verwijderd.' },
  'label.devices.added_on': { en: 'Added {when}', nl: 'Toegevoegd op {when}' },
  'label.devices.used_on': { en: 'last used {when}', nl: 'laatst gebruikt op {when}' },
  'label.devices.synced': { en: 'synced passkey', nl: 'gesynchroniseerde passkey' },
  'label.devices.notify': { en: 'Notify me on this device', nl: 'Meldingen op dit apparaat' },
  'portal.devices.unsupported': {
    en: 'This browser cannot make passkeys. Try another browser or device.',
    nl: 'Deze browser kan geen passkeys maken. Probeer een andere browser of een ander apparaat.',
  },
  'portal.devices.cancelled': {
    en: 'Nothing was added: the device check was cancelled or timed out.',
    nl: 'Er is niets toegevoegd: de apparaatcontrole is geannuleerd of verlopen.',
  },
  'portal.devices.notifying': {
    en: 'Prompts now also arrive as notifications on “{device}”.',
    nl: 'Meldingen komen nu ook als notificatie binnen op “{device}”.',
  },
  'portal.devices.notify_denied': {
    en: 'Notifications are blocked for this page. Allow them in your browser’s settings, or use the email we send.',
    nl: 'Notificaties zijn voor deze pagina geblokkeerd. Sta ze toe in de instellingen van je browser, of gebruik de e-mail die we sturen.',
  },
  'portal.devices.notify_failed': {
    en: 'Notifications could not be turned on here. The email we send works as well.',
    nl: 'Notificaties konden hier niet worden aangezet. De e-mail die we sturen werkt net zo goed.',
  },
  'portal.devices.expired': {
    en: 'This page has expired. Open it again from your account.',
    nl: 'Deze pagina is verlopen. Open hem opnieuw vanuit je account.',
  },
  'mail.confirm.subject': {
    en: '{company} support asks you to confirm it’s you',
    nl: 'Support van {company} vraagt je te bevestigen dat jij het bent',
  },
  'mail.confirm.body': customer(
    'Hello {name},\n\n{agent} from {company} support is asking you to confirm it is you. If you are talking to them now, open this link on one of your trusted devices before {until}:\n\n{url}\n\nIf you did not ask for help, open it and choose “I didn’t ask for this”, or ignore this email: nothing is shared unless you confirm.\n\n',
    'Hallo {name},\n\n{agent} van support van {company} vraagt je te bevestigen dat jij het bent. Praat je nu met hen? Open dan deze link vóór {until} op een van je vertrouwde apparaten:\n\n{url}\n\nHeb je geen hulp gevraagd? Open de link en kies “Ik heb hier niet om gevraagd”, of negeer deze e-mail: er wordt niets gedeeld tenzij je bevestigt.\n\n',
  ),
  'portal.pin.locked': {
    en: 'Support PINs are paused for your account until {until}, after too many wrong PINs. This keeps your account safe; your support agent can still check it is you another way.',
    nl: 'Support-pincodes zijn voor je account gepauzeerd tot {until}, na te veel verkeerde pincodes. Zo blijft je account veilig; je supportmedewerker kan op een andere manier controleren dat jij het bent.',
  },
  'portal.pin.generated': customer(
    'Your support PIN is {pin}. Read it only to the support agent you are talking to. It works once, until {until}.',
    'Je support-pincode is {pin}. Lees hem alleen voor aan de supportmedewerker met wie je praat. Hij werkt één keer, tot {until}.',
  ),

  // Email to the account's address, whatever the outcome
  'mail.verified.subject': {
    en: 'You were verified by {company} support',
    nl: 'Je bent geverifieerd door support van {company}',
  },
  'mail.verified.body': customer(
    'Hello {name},\n\n{agent} from {company} support verified your account on {when} through {channel}, by {method}. They can see your devices’ serial numbers and a limited profile until {until}; they cannot change your account.\n\nIf this was not you, reply to this email or contact {company} support.\n\n',
    'Hallo {name},\n\n{agent} van support van {company} heeft je account op {when} geverifieerd via {channel}, met {method}. Tot {until} kunnen ze de serienummers van je apparaten en een beperkt profiel zien; je account wijzigen kunnen ze niet.\n\nWas jij dit niet? Beantwoord deze e-mail of neem contact op met support van {company}.\n\n',
  ),
  'mail.attempt.subject': {
    en: 'Someone tried to verify your {company} account',
    nl: 'Iemand probeerde je account bij {company} te verifiëren',
  },
  'mail.attempt.body': customer(
    'Hello {name},\n\n{agent} from {company} support tried to verify your account on {when} through {channel}. Result: {outcome}. Nothing was shared.\n\nIf you did not ask for help, you do not need to do anything — your account is safe — but you can tell {company} support.\n\n',
    'Hallo {name},\n\n{agent} van support van {company} probeerde op {when} je account te verifiëren via {channel}. Resultaat: {outcome}. Er is niets gedeeld.\n\nHeb je geen hulp gevraagd? Dan hoef je niets te doen — je account is veilig — maar je kunt het support van {company} laten weten.\n\n',
  ),
  'mail.device_added.subject': {
    en: 'A trusted device was added to your {company} account',
    nl: 'Er is een vertrouwd apparaat toegevoegd aan je account bij {company}',
  },
  'mail.device_added.body': customer(
    'Hello {name},\n\n“{device}” was added to your account on {when} as a trusted device. When you contact {company} support, they can ask you to confirm it is you on it.\n\nIf you did not add it, remove it from your account’s trusted devices and contact {company} support.\n\n',
    'Hallo {name},\n\n“{device}” is op {when} als vertrouwd apparaat aan je account toegevoegd. Als je contact opneemt met support van {company}, kunnen ze je vragen daarop te bevestigen dat jij het bent.\n\nHeb jij het niet toegevoegd? Verwijder het uit de vertrouwde apparaten van je account en neem contact op met support van {company}.\n\n',
  ),
  'mail.device_removed.subject': {
    en: 'A trusted device was removed from your {company} account',
    nl: 'Er is een vertrouwd apparaat verwijderd van je account bij {company}',
  },
  'mail.device_removed.body': customer(
    'Hello {name},\n\n“{device}” was removed from your account’s trusted devices on {when}. It can no longer confirm it is you.\n\nIf you did not remove it, contact {company} support.\n\n',
    'Hallo {name},\n\n“{device}” is op {when} verwijderd uit de vertrouwde apparaten van je account. Het kan niet meer bevestigen dat jij het bent.\n\nHeb jij het niet verwijderd? Neem dan contact op met support van {company}.\n\n',
  ),
  'mail.method.device': { en: 'a prompt on your trusted device', nl: 'een melding op je vertrouwde apparaat' },
  'mail.method.pin': { en: 'your support PIN', nl: 'je support-pincode' },
  'mail.outcome.denied': { en: 'you refused the request', nl: 'je hebt het verzoek geweigerd' },
  'mail.outcome.failed': { en: 'the check failed', nl: 'de controle is mislukt' },
  'mail.outcome.expired': { en: 'the check timed out', nl: 'de controle is verlopen' },
  'mail.outcome.cancelled': { en: 'the agent cancelled the check', nl: 'de medewerker heeft de controle geannuleerd' },
} as const satisfies Record<string, Entry>;

export type MessageKey = keyof typeof MESSAGES;
export const MESSAGE_KEYS = Object.keys(MESSAGES) as MessageKey[];

export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * Renders a catalog message in `locale`, filling every `{placeholder}`. A missing parameter throws rather
 * than leaving braces in front of a customer, and every result passes the outbound guard.
 */
export function renderMessage(key: MessageKey, locale: Locale, params: MessageParams = {}): string {
  const template = MESSAGES[key][locale];
  const text = template.replace(PLACEHOLDER, (_, inside: string) => {
    const { name, forms } = placeholder(inside);
    const value = params[name];
    if (value === undefined) throw new Error(`message ${key} needs the parameter {${name}}`);
    if (!forms) return String(value);
    return `${value} ${pluralRules[locale].select(Number(value)) === 'one' ? forms.one : forms.other}`;
  });
  return assertSafeOutboundRemembered(text, key);
}

/** `{name}`, or `{name:one|other}` for a count and its noun in the two forms English and Dutch have. */
const PLACEHOLDER = /\{([^{}]+)\}/gu;
function placeholder(inside: string): { name: string; forms?: { one: string; other: string } } {
  const [name = '', nouns] = inside.split(':', 2);
  if (nouns === undefined) return { name };
  const [one = '', other = one] = nouns.split('|');
  return { name, forms: { one, other } };
}
const pluralRules: Readonly<Record<Locale, Intl.PluralRules>> = {
  en: new Intl.PluralRules('en'),
  nl: new Intl.PluralRules('nl'),
};

/** The placeholders a message needs, in order of first use. */
export function messageParams(key: MessageKey): string[] {
  const names = new Set<string>();
  for (const locale of LOCALES)
    for (const m of MESSAGES[key][locale].matchAll(PLACEHOLDER)) names.add(placeholder(m[1] ?? '').name);
  return [...names];
}

/** Maps a BCP 47 tag or Accept-Language value to a supported locale; English when nothing matches. */
export function resolveLocale(tag: string | undefined | null): Locale {
  for (const part of (tag ?? '').split(',')) {
    const language = part.trim().split(/[-_;]/u)[0]?.toLowerCase();
    if (language === 'nl') return 'nl';
    if (language === 'en') return 'en';
  }
  return 'en';
}
