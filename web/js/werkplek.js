// KCC-werkplek: every contact is a contact session on the server ("Nieuw contactmoment", a
// call offered by the telephone platform, an accepted chat), with its own klant(en), draft and
// chat; find a resident or business inside it, see the klantbeeld, register the contactmoment
// with one or more questions (kennisbank articles used per question) for the klant(en) confirmed
// at wrap-up or anonymously, hand over as a contactverzoek, and answer web chats. One module per
// feature in werkplek/; this entry wires them together, and werkplek/staat.js holds what they
// share.
import { requireSession } from './app.js';
import { staat, wisOudConcept } from './werkplek/staat.js';
import { koppelZoeken, schermpop } from './werkplek/zoeken.js';
import { laadActoren, koppelOverdracht } from './werkplek/overdracht.js';
import { toonConcept, koppelContactmoment, voegArtikelToe } from './werkplek/contactmoment.js';
import { koppelKennisbank } from './werkplek/kennisbank.js';
import { startChatInbox, toonChat } from './werkplek/chat.js';
import { startContacten, startContact } from './werkplek/sessies.js';
import { startWerkvoorraad } from './werkvoorraad.js';

wisOudConcept();
staat.sessie = await requireSession(['kcm']);
await laadActoren();
koppelZoeken();
koppelContactmoment();
koppelOverdracht();
koppelKennisbank(voegArtikelToe);
await startContacten(async (c) => {
  toonConcept(c);
  await toonChat(c);
});
await startChatInbox(staat.sessie.gebruikersnaam, (pop) => schermpop(pop, startContact));
await startWerkvoorraad(staat.sessie.gebruikersnaam);
