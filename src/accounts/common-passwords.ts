/**
 * Passwords and base words that top every published leak list, written out by hand (no download).
 * The policy also catches them with digits or symbols added, in "l33t" spelling, and repeated,
 * so the list holds stems ("dragon") rather than every variant ("dragon123!").
 * Sports and betting words are here on purpose: they are what Tipster users would pick first.
 */
export const COMMON_PASSWORDS: readonly string[] = Object.freeze([
  // digit and keyboard runs
  '123456', '1234567', '12345678', '123456789', '1234567890', '0123456789', '987654321', '9876543210',
  '111111', '1111111', '11111111', '000000', '00000000', '121212', '123123', '123321', '654321',
  '112233', '666666', '696969', '777777', '888888', '999999', '131313', '159753', '147258369',
  'qwerty', 'qwertyuiop', 'qwerty123', 'asdfgh', 'asdfghjkl', 'zxcvbn', 'zxcvbnm', 'qazwsx',
  'qazwsxedc', '1qaz2wsx', '1qaz2wsx3edc', 'zaq12wsx', '1q2w3e4r', '1q2w3e4r5t', 'q1w2e3r4', 'asdf',
  'qwer', 'azerty', 'qwertz', 'abc123', 'abcdef', 'abcdefg', 'abcdefgh', 'abcd1234', 'a1b2c3',
  'aaaaaa', 'aa123456', 'qweasd', 'qweasdzxc', 'poiuytrewq', 'mnbvcxz', 'lkjhgfdsa',
  // the classics
  'password', 'passw0rd', 'passwort', 'motdepasse', 'contraseña', 'contrasena', 'senha', 'parola',
  'pass', 'passpass', 'secret', 'letmein', 'welcome', 'welcome1', 'login', 'admin', 'administrator',
  'root', 'toor', 'master', 'changeme', 'default', 'guest', 'user', 'test', 'testing', 'demo',
  'trustno1', 'iloveyou', 'loveyou', 'lovely', 'love', 'hello', 'hellothere', 'whatever', 'nothing',
  'access', 'letmein1', 'opensesame', 'open', 'qwertyui', 'superman', 'batman', 'spiderman',
  'ironman', 'starwars', 'pokemon', 'naruto', 'matrix', 'hunter', 'hunter2', 'ranger', 'killer',
  'shadow', 'monkey', 'dragon', 'tigger', 'tiger', 'lion', 'eagle', 'falcon', 'phoenix', 'wolf',
  'sunshine', 'princess', 'flower', 'butterfly', 'angel', 'michael', 'jennifer', 'jordan', 'jessica',
  'ashley', 'daniel', 'andrew', 'joshua', 'thomas', 'robert', 'charlie', 'maggie', 'buster', 'ginger',
  'pepper', 'cookie', 'chocolate', 'cheese', 'banana', 'orange', 'summer', 'winter', 'spring',
  'autumn', 'freedom', 'computer', 'internet', 'google', 'samsung', 'apple', 'iphone', 'microsoft',
  'mustang', 'ferrari', 'porsche', 'corvette', 'harley', 'yamaha', 'snoopy', 'mickey', 'minecraft',
  'fortnite', 'zelda', 'blink182', 'metallica', 'nirvana', 'diamond', 'silver', 'golden', 'money',
  'qwerty12', 'football', 'baseball', 'basketball', 'soccer', 'hockey', 'tennis', 'golf', 'rugby',
  'cricket', 'boxing', 'racing', 'skater', 'sport', 'sports', 'player', 'winner', 'champion',
  'champions', 'victory', 'goal', 'goals', 'striker', 'keeper', 'penalty', 'fifa', 'worldcup',
  // clubs and nicknames football fans pick first
  'liverpool', 'liverpoolfc', 'arsenal', 'chelsea', 'manutd', 'manchester', 'manchesterunited',
  'mancity', 'tottenham', 'spurs', 'everton', 'newcastle', 'leeds', 'leedsunited', 'rangers',
  'celtic', 'barcelona', 'barca', 'realmadrid', 'madrid', 'juventus', 'milan', 'acmilan', 'inter',
  'bayern', 'dortmund', 'psg', 'ajax', 'benfica', 'porto', 'gunners', 'reds', 'bluesky', 'thfc',
  'messi', 'ronaldo', 'cristiano', 'neymar', 'beckham', 'zidane', 'maradona', 'pele', 'rooney',
  'gerrard', 'lampard', 'henry', 'kobe', 'lebron', 'jordan23', 'michaeljordan', 'lakers', 'bulls',
  'yankees', 'redsox', 'cowboys', 'steelers', 'packers', 'patriots',
  // betting
  'tipster', 'tipster123', 'betting', 'bet365', 'betfair', 'bookie', 'bookmaker', 'jackpot',
  'lucky', 'lucky7', 'luckyme', 'gamble', 'gambler', 'casino', 'poker', 'blackjack', 'roulette',
  'odds', 'value', 'valuebet', 'accumulator', 'acca', 'winbig', 'bigwin', 'millionaire', 'rich',
  'richman', 'cash', 'cashout', 'profit', 'bankroll', 'kelly',
]);
