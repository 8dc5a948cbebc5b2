"""Short stories written for ficshelf's inference tests (our own writing; no copied text).

Each constant is a chapter text in ficshelf's plain-text shape (paragraphs
separated by a blank line, "* * *" between scenes). ``NAMES`` lists, per
story, the name words that may be swapped for invented ones.
"""

from __future__ import annotations

import re

ROMANCE = """Tamsin Hale had worked the night shift at the harbour office for three years before Oriel Brandt walked in with a crate of broken lanterns.

"You again," Tamsin said, but she was smiling.

Oriel set the crate down. "Me again. I brought you the ugly ones this time."

They spent the evening fixing wicks at the long table. When Oriel laughed, Tamsin found herself blushing, and she hid it behind the ledger.

* * *

By midwinter they were dating, though neither of them used the word. Oriel walked her home along the sea wall every night, and on the fourth night he stopped under the lamp by the ferry steps.

"Tamsin," he said. "I think I'm in love with you."

She kissed him before he could take it back. His hands were cold and he pulled her close, and when they finally broke apart Tamsin laced their fingers together.

"I love you too, you ridiculous man."

* * *

In spring Oriel asked her to marry him. Tamsin said yes on the ferry steps, and the harbour master shouted his congratulations from the office window. Oriel kissed her again, slower this time, and Tamsin rested her head on his shoulder while the boats came in."""

FRIENDSHIP = """Pell Okafor and Ruan Teague had been best friends since the first day of school, when Ruan punched a boy who had laughed at Pell's stutter.

Twenty years later they rowed in the same crew. Pell sat in the bow and Ruan in the stroke seat, and the coach said they were the only teammates who never argued.

"You're late," Ruan said when Pell jogged up to the boathouse.

"I'm early for me," Pell said. Ruan snorted and threw him an oar.

After the race they sat on the dock with their feet in the water. Pell was quiet for a long time.

"The bank is selling the farm," he said at last.

Ruan bumped his shoulder. "Then you'll stay with me until you figure it out. That's what friends are for."

"You'd do that?"

"Pell, you're my best friend. Of course I would."

Pell laughed, a little wetly, and Ruan pretended not to notice. They watched the last boats come in, two old friends on a dock, and neither of them said anything else."""

SIBLINGS = """Mara Quill was eleven when her little brother Tobiah decided he was going to be a pirate.

"Pirates don't go to bed at eight," Tobiah told her from the top of the wardrobe.

"Pirates who are seven do," Mara said. She held out her arms and he jumped, and she caught him, staggering, the way she always did.

Their mother worked late on Thursdays, so it was Mara who made the toast and Mara who checked the window latches and Mara who read the chapter about the kraken twice because Tobiah was scared of it the first time.

"You're the best sister," Tobiah said into his pillow.

"I'm the only sister," said Mara.

"Still the best."

* * *

Years later, when Tobiah was tall enough to bump his head on the kitchen doorway, he came home from the city with a suitcase and a sore heart. Mara didn't ask. She made toast.

"You used to read me the kraken chapter twice," Tobiah said.

"You used to be scared of it."

"I'm still scared of it." Tobiah smiled at his sister for the first time in weeks. "Read it to me anyway?"

Mara laughed and went to find the book. Some things a brother never outgrows, and Tobiah was still her brother."""

READER = """The bakery is warm when you push the door open, and Caspian Drey looks up from the counter like he has been waiting all morning.

"Y/N," he says. "You're late."

"I'm exactly on time," you tell him, and Caspian grins.

He slides a paper bag across the counter before you can order. Inside is the cinnamon roll you always pretend you don't want. You feel yourself blushing, and Caspian notices, because Caspian notices everything.

"Sweetheart," he says softly, "come to dinner with me. A real date."

You take his hand across the counter. His fingers are dusted with flour and he laces them through yours like he has done it a hundred times in his head.

"Okay," you say. "A date."

That night Caspian walks you home through the rain, and at your door he kisses you, slow and careful, and you pull him close and kiss him back.

"I think I'm in love with you," he whispers against your hair."""

#: Two men; one woman who is never in a scene with them.
APART = """Wendel Ashby fixed clocks in a shop too small for two people, so when Lorcan Reyes came in with a broken watch they had to stand very close.

"It was my grandfather's," Lorcan said.

Wendel opened the case and whistled. "Then we'll be careful with it." Lorcan watched his hands, and Wendel, who never blushed, felt himself blushing.

By the third visit Lorcan had stopped pretending the watch was the reason. By the fifth, Wendel kissed him over the counter, and Lorcan kissed him back and held him close.

"Stay for supper," Wendel said. Lorcan stayed. He stayed the next night too, and in the autumn they were married in the little chapel by the canal.

* * *

Far away, on the other side of the country, Isaura Penhallow ran a lighthouse alone. She counted ships, painted the railings, and wrote long letters that she never posted. Isaura liked the quiet. Isaura liked the gulls. On clear nights Isaura climbed to the lamp room and watched the sea until dawn."""

#: A man with two partners (a woman and a man), both romances on the page.
MULTI = """Fenna Morrow and Jory Calloway had been married for nine years when Silas Wyn moved into the flat downstairs.

Fenna noticed him first. "He's lovely," she told Jory. "Don't you think he's lovely?"

Jory thought so too. He kissed his wife good morning and went downstairs to borrow sugar, and came back an hour later without it, blushing.

* * *

It took them a summer to say it out loud. Silas sat between them on the sofa and Fenna held his hand, and Jory held the other one.

"I love you," Silas said to Fenna, and then, to Jory, "I love you too. Both of you. Is that allowed?"

Jory kissed him. Then Fenna kissed him, and laughed, and kissed her husband as well.

* * *

In the winter Silas moved upstairs. Jory carried the boxes, Fenna carried the plants, and Silas carried nothing at all, because Jory would not let him. That night the three of them slept together in the big bed, Silas in the middle, warm and safe and loved."""

SAD = """Odile Marchetti knew her brother Casimir was dying long before the doctors said it.

He had always been the loud one. Now he whispered. Odile sat by his bed every afternoon and read him the newspaper, and Casimir pretended to listen, and they both pretended it was an ordinary winter.

"You'll be fine," Casimir told her. "You were always the strong one."

"Don't," Odile said, and she cried, and he held her hand until she stopped.

* * *

Casimir died on a Tuesday, in the grey hour before dawn. Odile was asleep in the chair. When she woke, his hand was cold.

At the funeral she could not speak. Her tears would not stop. Everyone said he was gone, that it was a mercy, that the pain was over, but Odile felt only the empty house and the grief that followed her from room to room.

She went home alone. His coat still hung by the door. She stood in the dark hallway and wept, and the house was silent, and nobody came."""

COFFEE = """Every morning at seven, Rafferty Lin unlocked the coffee shop on Harrow Street and switched on the espresso machine.

Every morning at seven fifteen, Bexley Thorne came in and ordered a latte with too much cinnamon.

"You know that's not how a latte works," Rafferty said, the barista's eternal complaint.

"You know I don't care," Bexley said, and tipped too much.

The café got busy after eight. Rafferty made cappuccino after cappuccino and watched Bexley write in the corner until the espresso ran out. He had nightmares about running out of espresso. He told Bexley so, and Bexley laughed so hard she spilled her latte.

"Tell me about the nightmares," she said.

"There's a queue," he said. "It goes out the door. And there's no coffee."

Bexley smiled into her cup. "Sounds like my nightmares, and I don't even work here."

When he locked the coffee shop that night, Rafferty found a note under the tip jar. It said: same time tomorrow?"""

#: Explicit content, our own words, for the rating rules.
EXPLICIT = """Nell pulled Arno down onto the bed and he went willingly, laughing against her mouth.

They undressed each other slowly. His shirt, her skirt, the ridiculous socks. She was naked first and he stared at her like a starving man. He kissed her breasts, her stomach, the inside of her thigh, and she moaned his name.

"Please," Nell said. His cock was hard against her hip and she wrapped her hand around it until he groaned.

He fingered her open, slow and patient, and she came the first time on his hand, gasping. Then he pushed inside her and they moved together, his thrusts deep and steady, her nails in his back. Her second orgasm took her by surprise. His followed, and he buried his face in her neck and shook.

Afterwards they lay tangled in the sheets, sweaty and boneless, and Arno traced the line of her collarbone with one finger.

"Again?" he asked.

Nell laughed. "Give me a minute.\""""

BATTLE = """The ambush came at dusk. Garrick Vos saw the first arrow take Hollis in the throat, and then the road was full of screaming.

He drew his sword. A raider came at him with an axe and Garrick opened his belly; the man's entrails spilled onto the mud and he fell, still screaming. Blood sprayed across Garrick's face. He wiped it away and killed the next one, and the next.

When it was over the road was a slaughter. Corpses lay in the ditches, limbs severed, a head three paces from its body. Garrick knelt in a pool of blood beside Hollis and held his hand while he bled out, and there was nothing to do, nothing at all.

They buried the dead at dawn. Garrick dug until his hands bled. Then he stood by the graves, gore still drying on his boots, and did not weep, because he could not."""

FIRST_PERSON = """I met Anouk Vidal on the worst day of my life, which is to say the day my car died on the coast road.

She pulled over in a truck full of goats. "Need a hand?" she asked, and I said yes, because I am not a fool.

I rode to the village with my knees against a goat and my pride somewhere on the road behind us. Anouk talked the whole way. I liked her voice. I liked her, if I am honest, which I usually am not.

By the time the mechanic looked at my car, I had decided to stay the week. By the end of the week, I had kissed her twice. By the end of the summer, I was still there, and so were the goats."""

BITTERSWEET = """The war ended in April, and Ilse Brandvold came home to a farm with one brother fewer than she had left it.

Her mother had kept Anders's room the way it was. His boots by the door. His books on the shelf. Ilse could not go in there for a month.

In May she planted the potatoes alone, the way Anders always had, badly and too deep. Her father watched from the porch and said nothing, and that night he cried at the kitchen table for the first time in her life.

* * *

Summer came anyway. The orchard flowered. Ilse's nephew was born in July, red and furious and loud, and her sister named him Anders.

At the christening Ilse held the baby and wept, and laughed at herself for weeping, and could not stop either. Her mother put an arm around her. "He would have loved him," she said.

"I know," Ilse said. She missed her brother every day. She would miss him all her life. But the baby gripped her finger, and the sun was warm on the orchard, and for the first time since April she smiled and meant it. The grave on the hill was not the end of them. There was still a family here, and a future, and a small boy with her brother's name."""

#: Rivals for three scenes; the romance comes only at the end, in few words.
SLOW_BURN = """Perrin Ashgrove had shared an office with Delphine Carrow for two years, and in two years they had agreed on exactly nothing.

"You moved my stapler," Delphine said on Monday.

"It was on my side of the desk," Perrin said.

"The desk has no sides."

"It does now." He drew a line down the middle of the blotter with a red pen, and Delphine looked at him as if he had drawn it across her throat.

* * *

In March the firm sent them to the coast to audit a shipping company. The hotel had one room left. Delphine took the bed and Perrin took the armchair, and they argued about the window until two in the morning.

"Open," said Perrin.

"Shut."

"You're impossible."

"You're cold-blooded," Delphine said, and threw a pillow at him. Perrin caught it, and for some reason he laughed, and after a moment so did she.

The next day he carried her files up the hill to the harbour office without being asked. She noticed. She said nothing, but she bought him coffee on the way back, and she remembered how he took it.

* * *

By autumn the line on the blotter had faded. Perrin stayed late most nights, and so did Delphine, and neither of them mentioned why.

One evening the lights went out across the whole building. They sat on the floor by the window with a single candle between them.

"I asked for a transfer," Delphine said. "Months ago. Before the coast."

Perrin looked at her. "Are you going?"

"No." She turned the candle slowly. "I told them I'd changed my mind."

"Why?"

"You know why, you idiot."

He did. He reached across the candle and took her hand, and Delphine leaned in and kissed him.

"I've been in love with you since the stapler," Perrin said against her mouth.

"Liar," she said, and kissed him again."""

#: A pair who only ever talk: a telephone romance, lines mostly untagged.
ONLY_TALKS = """The wrong number came through at eleven at night, and Ines Varga answered it because she was awake anyway.

"Is this the bakery?" a man asked.

"It's a flat above a launderette," Ines said. "Who's this?"

"Tomas. Tomas Reyner. I'm sorry, I'll let you sleep."

"I wasn't sleeping."

"Neither was I."

He called again the next night, on purpose this time.

"You again," Ines said.

"Me again. Tell me about the launderette."

"It smells of soap and the machines hum like bees."

"That sounds nice."

"It isn't. Tell me about your bakery."

"There isn't one. I made it up so I'd have a reason to call."

Ines laughed. They talked until three.

* * *

By winter the calls were every night.

"Tomas," Ines said. "What do you look like?"

"Tall. Bad haircut. I'm told I have a kind face."

"Who told you that?"

"My mother. She's biased."

"I think you have a kind voice."

"Ines." A long pause on the line. "I think I'm falling in love with you."

"You've never seen me."

"I don't care."

"Good," she said, "because I love you too, you ridiculous man. Come to the launderette on Saturday."

"I'll bring bread."

"Bring yourself, sweetheart. That's enough.\""""

#: Two friends who touch a lot: hugs, leaning, an arm around the shoulders. No romance.
TOUCHY_FRIENDS = """Bram Holloway and Kit Ferrante had been best friends since the sandpit, and neither of them had ever learned what personal space was.

When Kit failed his driving test for the third time, Bram hugged him in the car park until the examiner looked away. When Bram's dog died, Kit sat with him on the kitchen floor all night, and Bram leaned against his shoulder and cried into his jumper.

"You're a good friend," Bram said in the morning, his voice wrecked.

"I'm your best friend," Kit said. "It's in the contract."

They shared a flat at university. Kit slung an arm around Bram's shoulders at every party and introduced him as his brother in all but blood. Bram ruffled Kit's hair whenever he was being an idiot, which was often.

* * *

At Kit's wedding Bram was the best man. He gave a speech about the sandpit, and the bride cried, and Kit laughed so hard he had to sit down.

Afterwards they stood outside in the cold, Kit's tie undone, Bram's arm around him.

"Still best friends?" Kit asked.

"Always," Bram said, and pulled him into another hug. "Now go and dance with your wife before she finds a better man."

Kit grinned and went. Bram watched him go, and smiled, and went back inside to find the cake."""

#: Twin sisters who bicker and look after each other.
TWINS = """Odette and Marguerite Vasseur were twins, which meant that Odette had been arguing with her sister since before either of them could talk.

"That's my coat," Marguerite said.

"It's our coat," said Odette. "Mother bought one coat."

"For me."

"For us. You were asleep."

They shared a bedroom until they were sixteen and a bank account until they were twenty, and every Christmas their father said he did not know how the house was still standing.

* * *

When Marguerite broke her leg skiing, it was Odette who drove through the night to the hospital, Odette who signed the forms, Odette who sat by the bed and read aloud from the worst novel she could find.

"You're doing this on purpose," Marguerite said.

"I'm a good sister," Odette said.

"You're a terrible sister."

"I'm the only sister you have. Eat your soup."

Marguerite ate her soup. When Odette fell asleep in the chair, Marguerite pulled the blanket off her own bed and threw it over her twin, because somebody had to, and it had always been the two of them."""

NAMES: dict[str, tuple[str, ...]] = {
    "ROMANCE": ("Tamsin", "Hale", "Oriel", "Brandt"),
    "FRIENDSHIP": ("Pell", "Okafor", "Ruan", "Teague"),
    "SIBLINGS": ("Mara", "Quill", "Tobiah"),
    "READER": ("Caspian", "Drey"),
    "APART": ("Wendel", "Ashby", "Lorcan", "Reyes", "Isaura", "Penhallow"),
    "MULTI": ("Fenna", "Morrow", "Jory", "Calloway", "Silas", "Wyn"),
    "SLOW_BURN": ("Perrin", "Ashgrove", "Delphine", "Carrow"),
    "ONLY_TALKS": ("Ines", "Varga", "Tomas", "Reyner"),
    "TOUCHY_FRIENDS": ("Bram", "Holloway", "Kit", "Ferrante"),
    "TWINS": ("Odette", "Marguerite", "Vasseur"),
}

#: Invented names (not English words) to swap in.
INVENTED = ("Edrys", "Lucan", "Isolwen", "Corvin", "Yarrin", "Bastien", "Wenna", "Idrel",
            "Oonagh", "Fenwick", "Saoirse", "Tobin", "Marit", "Anselm", "Zofia", "Quellan",
            "Ysolde", "Dagny", "Ilario", "Brisco", "Temperance", "Oswy", "Nerys", "Kazimir")


def rename(text: str, mapping: dict[str, str]) -> str:
    """``text`` with each whole-word name replaced by its new name."""
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, mapping), key=len,
                                                   reverse=True)) + r")\b")
    return pattern.sub(lambda m: mapping[m.group()], text)
