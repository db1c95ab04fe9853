// The word lists behind recommend/lexicon.h. Lists are space-separated folded words, read once.
#include "recommend/lexicon.h"

#include <sstream>

namespace cinerag {
namespace {

WordSet word_set(const char* words) {
  WordSet out;
  std::istringstream in(words);
  for (std::string w; in >> w;) out.insert(w);
  return out;
}

}  // namespace

const WordSet& stop_words() {
  static const WordSet w = word_set(
      "a about absolutely after again all also am an and any anything are as at awesome bad be "
      "because been best better but by can could did do does dont enjoy enjoyed even ever "
      "favorite favourite feel film films for from fun get give good great had has hate hated "
      "have he her hi hello him his how i if im in into is it its ive just kind know like liked "
      "likes lot love loved loves made make me more most movie movies much my need no not of on "
      "one or other please really recommend recommendation recommendations saw see seen she "
      "similar so some something suggest than that the them then there these they thing think "
      "this to too very want was watch watched watching we well were what when which who will "
      "with would you your yes yeah ok okay thanks thank emotional boring amazing terrible "
      "wonderful nice cool sure maybe now today tonight new old lately recently being those "
      "such where why only theres whats lets got go going us our kinda sort type types genre "
      "genres stuff things lots else another first second third fourth fifth last");
  return w;
}

const WordSet& title_common_words() {
  static const WordSet w = word_set(
      "a about after again all also always am an and any are as at away awesome bad be "
      "beautiful because been before best better big boring both but by can cant check classic "
      "come could crash cry dark day did do does done dont down drama each else enjoy enjoyed "
      "even ever every fan fantastic favorite favourite feel film films find fine first for "
      "from fun funny get give go good got great had happy has hate hated have he heat hello "
      "her here hey hi him his home how i if im in into is it its ive just kind know last laugh "
      "let life like liked little look lot love loved made make many maybe me mine more most "
      "movie movies much my need never new next nice no not nothing now of off oh ok okay old "
      "on once one only or other our out over people perfect please pretty real really "
      "recommend red right sad said saw say scary see seen she show similar so some something "
      "sorry still story such sure take thank thanks that the their them then there these they "
      "thing things think this those though time to today too true try two up us very want was "
      "watch watched way we well went were what when where which while who why will with "
      "without wonderful would yeah yes yet you your three nine ten seven signs rush cars crazy "
      "taken gravity frozen speed action adventure adventures animated animation comedy "
      "comedies crime documentary dramas epic fantasy horror musical mystery romance romantic "
      "thriller thrillers war western westerns spy superhero superheroes indie independent "
      "science fiction sci fi noir american british english french korean japanese german "
      "italian chinese indian spanish older anything everything someone somebody tough may "
      "might must shall should looking seeking hope trying actually definitely probably family "
      "kids children friends loves girl boy man woman men women world night dream dreams music "
      "school house game games money stars star heart hero heroes king queen wars end start "
      "begin beginning heya howdy greetings goodbye bye cool yep nope sounds interesting plot "
      "plots acting actor actors actress director directors series sequel sequels trilogy genre "
      "genres type types kinds sort sorts style era decade year years cinema theater theatre tv "
      "netflix books book novel based help general others late wait driven fans");
  return w;
}

const PhraseList& hangul_particles() {
  static const PhraseList p = {"이랑", "에서", "처럼", "보다", "은", "는", "이", "가", "을",
                               "를",   "도",   "의",   "에",   "랑", "와", "과", "로"};
  return p;
}

const PhraseList& korean_everyday_stems() {
  static const PhraseList p = {
      "영화",   "추천",   "감독", "배우",   "작품",   "주연",   "출연", "정말", "너무",   "진짜",
      "완전",   "아주",   "같은", "비슷",   "좋아",   "좋은",   "좋았", "재밌", "재미",   "최고",
      "슬픈",   "슬펐",   "무서", "웃긴",   "감동",   "지루",   "별로", "싫어", "싫었",   "보고",
      "봤는",   "봤어",   "보여", "알려",   "해줘",   "어떤",   "요즘", "최근", "오늘",   "주말",
      "그냥",   "다른",   "하나", "혹시",   "있어",   "없어",   "제일", "가장", "로맨스", "애니",
      "코미디", "액션",   "공포", "드라마", "스릴러", "판타지", "가족", "아이", "사람",   "이야기",
      "느낌",   "분위기", "장르", "시리즈", "안녕",   "시간",   "여행", "주말"};
  return p;
}

const PhraseList& korean_verb_endings() {
  // Not 나, 니, 아, 야, 고, 지: Moana (모아나), Django (장고), Crazy (크레이지) end in them.
  static const PhraseList p = {"다", "요", "어", "해", "줘", "네", "죠", "까",
                               "서", "면", "게", "봐", "래", "데", "냐", "했"};
  return p;
}

const PhraseList& director_cues_before() {
  static const PhraseList p = {"directed by", "director", "films by", "movies by",
                               "film by",     "movie by", "made by",  "by"};
  return p;
}

const PhraseList& cast_cues_before() {
  static const PhraseList p = {"starring", "with", "featuring", "stars", "actor", "actress"};
  return p;
}

const WordSet& person_cues_after() {
  static const WordSet w =
      word_set("movies movie films film flicks s 영화 영화들 작품 작품들 감독 주연 나오는 출연");
  return w;
}

const PhraseList& director_cues_after_hangul() {
  static const PhraseList p = {"감독"};
  return p;
}

const PhraseList& cast_cues_after_hangul() {
  static const PhraseList p = {"주연", "나오는", "출연", "배우"};
  return p;
}

const PhraseList& korean_person_cues() {
  static const PhraseList p = {"감독", "주연", "나오는", "나온", "출연",
                               "배우", "영화", "연기",   "작품"};
  return p;
}

const std::vector<std::pair<const char*, const char*>>& korean_topic_words() {
  static const std::vector<std::pair<const char*, const char*>> w = {
      {"시간", "time"},
      {"여행", "travel"},
      {"우주", "space"},
      {"좀비", "zombie"},
      {"전쟁", "war"},
      {"로봇", "robot"},
      {"외계인", "alien"},
      {"공룡", "dinosaur"},
      {"마법", "magic"},
      {"복수", "revenge"},
      {"스파이", "spy"},
      {"탈출", "escape"},
      {"강아지", "dog"},
      {"고양이", "cat"},
      {"우정", "friendship"},
      {"음악", "music"},
      {"스포츠", "sports"},
      {"역사", "history"},
      {"실화", "true story"},
      {"재난", "disaster"},
      {"해적", "pirate"},
      {"바다", "ocean"},
      {"학교", "school"},
      {"청춘", "coming of age"},
      {"요리", "cooking"},
      {"뱀파이어", "vampire"},
      {"마피아", "mafia"},
      {"감옥", "prison"},
      {"법정", "courtroom"},
      {"반전", "twist"},
      {"살인", "murder"},
      {"형사", "detective"},
      {"경찰", "police"},
      {"해킹", "hacker"},
      {"인공지능", "artificial intelligence"},
      {"초능력", "superpower"},
      {"슈퍼히어로", "superhero"},
      {"히어로", "superhero"},
      {"괴물", "monster"},
      {"유령", "ghost"},
      {"귀신", "ghost"},
      {"결혼", "wedding"},
      {"크리스마스", "christmas"},
      {"왕", "king"},
      {"공주", "princess"},
      {"기차", "train"},
      {"비행기", "plane"},
      {"자동차", "car"},
      {"레이싱", "racing"},
      {"권투", "boxing"},
      {"축구", "soccer"},
      {"야구", "baseball"},
      {"춤", "dance"},
      {"미래", "future"},
      {"과거", "past"},
      {"꿈", "dream"}};
  return w;
}

const PhraseList& more_like_phrases() {
  static const PhraseList p = {
      "more like",      "similar to the", "like that one", "like the first", "like the second",
      "like the third", "같은 거",        "비슷한 거",     "비슷한 걸",      "같은 걸"};
  return p;
}

const PhraseList& not_that_phrases() {
  static const PhraseList p = {"not that one",   "not this one", "not that",  "no thanks",
                               "dont like that", "그거 말고",    "이거 말고", "별로"};
  return p;
}

const PhraseList& seen_it_phrases() {
  static const PhraseList p = {"seen it",       "seen that", "already seen", "watched it",
                               "seen that one", "봤어",      "봤어요",       "이미 봤"};
  return p;
}

const std::vector<std::pair<const char*, int>>& ordinal_words() {
  static const std::vector<std::pair<const char*, int>> w = {
      {"first", 0},   {"1st", 0},     {"second", 1},  {"2nd", 1},     {"third", 2},
      {"3rd", 2},     {"fourth", 3},  {"4th", 3},     {"fifth", 4},   {"5th", 4},
      {"last", 4},    {"첫 번째", 0}, {"첫번째", 0},  {"두 번째", 1}, {"두번째", 1},
      {"세 번째", 2}, {"세번째", 2},  {"네 번째", 3}, {"네번째", 3},  {"다섯 번째", 4},
      {"다섯번째", 4}};
  return w;
}

const PhraseList& reference_before() {
  static const PhraseList p = {
      "like",           "similar to",    "such as", "as good as",  "along the lines of",
      "in the vein of", "reminds me of", "same as", "the likes of"};
  return p;
}

const WordSet& reference_negations() {
  static const WordSet w = word_set(
      "dont didnt doesnt not never wouldnt wont cant couldnt isnt wasnt arent werent hardly");
  return w;
}

const WordSet& liking_verbs() {
  static const WordSet w = word_set("like love enjoy enjoyed liked loved care appreciate");
  return w;
}

const PhraseList& reference_after_hangul() {
  static const PhraseList p = {"같은", "비슷한", "처럼", "류의", "스타일"};
  return p;
}

const PhraseList& disliked_before() {
  static const PhraseList p = {"not a fan of",
                               "not a big fan of",
                               "not much of a fan of",
                               "wasnt a fan of",
                               "never been a fan of",
                               "not into",
                               "wasnt into",
                               "couldnt stand",
                               "cant stand",
                               "could not stand",
                               "sick of",
                               "tired of",
                               "disappointed by",
                               "disappointed with",
                               "bored by",
                               "hated",
                               "disliked",
                               "didnt enjoy",
                               "did not enjoy",
                               "regret watching",
                               "let down",
                               "waste of time",
                               "fell asleep",
                               "never again",
                               "never watching",
                               "too gory",
                               "too cheesy",
                               "too slow"};
  return p;
}

const WordSet& title_cues_before() {
  static const WordSet w = word_set(
      "loved liked love like enjoyed enjoy watched watching rewatched rewatching saw seen "
      "seeing hated hate "
      "disliked adore adored movie film called titled");
  return w;
}

const WordSet& title_cues_after() {
  static const WordSet w = word_set("was is were");
  return w;
}

const PhraseList& request_phrases() {
  static const PhraseList p = {"recommend",
                               "recommendation",
                               "recommendations",
                               "suggest",
                               "suggestion",
                               "suggestions",
                               "can you",
                               "could you",
                               "would you",
                               "looking for",
                               "in the mood for",
                               "any good",
                               "give me",
                               "show me",
                               "find me",
                               "i want",
                               "i need",
                               "id like",
                               "i would like",
                               "what should i",
                               "what to watch",
                               "something",
                               "anything",
                               "please",
                               "추천",
                               "알려",
                               "보여",
                               "찾아",
                               "골라",
                               "볼만한",
                               "볼 만한",
                               "있어",
                               "있을까",
                               "있나",
                               "뭐 볼까",
                               "보고 싶",
                               "보고싶",
                               "싶어",
                               "주세요",
                               "해줘",
                               "해 줘",
                               "없을까"};
  return p;
}

const WordSet& greeting_words() {
  static const WordSet w = word_set(
      "hi hello hey heya hiya howdy yo greetings morning evening afternoon good there thanks "
      "thank you ok okay bye goodbye 안녕 안녕하세요 하이 헬로 고마워 감사 감사합니다");
  return w;
}

const WordSet& liking_words() {
  static const WordSet w = word_set(
      "fan fond into good great funny interesting fun entertaining exciting scary gripping "
      "impressed worth recommend");
  return w;
}

const WordSet& complaint_words() {
  static const WordSet w = word_set(
      "bad letdown disappointing disappointment overrated boring bored dull terrible awful "
      "worst horrible cringe cringey cringy meh mediocre forgettable pointless tedious lame "
      "stupid annoying unwatchable");
  return w;
}

const PhraseList& change_of_topic_phrases() {
  static const PhraseList p = {"something different", "change of pace", "something new",
                               "different kind",      "different type", "다른 거",
                               "다른 영화",           "색다른"};
  return p;
}

const PhraseList& clause_breaks() {
  static const PhraseList p = {" but ",    " however ", " whereas ", " while ",
                               " 하지만 ", " 그런데 ",  " 근데 ",    "지만 "};
  return p;
}

}  // namespace cinerag
