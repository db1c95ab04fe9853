// A tiny data folder in the catalogue build's input layout (two good movies, bad lines in every
// file), for the build tests: catalogue_build.test.mjs and build_faults.test.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// A data folder in the inputs' layout, with bad lines in it.
export function tinyData() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cinerag-data-'));
  const w = (p, text) => (fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true }), fs.writeFileSync(path.join(dir, p), text));
  const ml = 'movielens/ml-latest-small';
  w(`${ml}/movies.csv`, '\ufeffmovieId,title,genres\r\n1,Toy Story (1995),Animation|Children|Comedy\r\n' +
    '2,"Matrix, The (1999)",Action|Sci-Fi\r\nabc,Broken (2000),Drama\r\n3,"Unterminated (2001),Drama\r\n');
  w(`${ml}/links.csv`, 'movieId,imdbId,tmdbId\n1,0114709,862\n2,0133093,\n');
  w(`${ml}/tags.csv`, 'userId,movieId,tag,timestamp\n1,1,pixar,1\n2,1,Pixar,2\n');
  w(`${ml}/ratings.csv`, 'userId,movieId,rating,timestamp\n1,1,5.0,1\n1,2,4.0,1\n2,1,4.5,1\n2,x,4,1\n3,2,7.0,1\n');
  w('tmdb/tmdb_movies.csv', 'id,title,vote_average,vote_count,release_date,overview,original_title,original_language\n' +
    '862,Toy Story,8,100,1995-10-30,"Toys come to life.",Toy Story,en\n603,The Matrix,8.2,200,1999-03-30,A hacker learns the truth.,The Matrix,en\n');
  w('wikipedia/movies-1990s.json', JSON.stringify([{ title: 'Toy Story', year: 1995, extract: 'A 1995 film.' }]));
  // More ratings files (their users are their own), and training conversations.
  w('movielens/ml-latest/ratings_users_1-2148.csv', 'userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,4.5,1\n2,1,4.0,1\n2,2,5.0,1\n');
  w('movielens/ml-1m-partial/ratings.csv', 'userId,movieId,rating\n1,1,5\n1,2,4\n');
  w('conversations/inspired/train.csv', ',full_situation,movies\n0,"\nSystem: Hi!\nUser: I loved Toy Story (1995).\nSystem: ",[\'The Matrix\']\n');
  w('conversations/redial/train_subset.jsonl', JSON.stringify({ movieMentions: { 11: 'Toy Story (1995)', 12: 'The Matrix (1999)' },
    respondentQuestions: { 12: { suggested: 1, seen: 0, liked: 1 } }, initiatorWorkerId: 1, respondentWorkerId: 2,
    messages: [{ text: 'I liked @11', senderWorkerId: 1, messageId: 1 }, { text: 'Try @12', senderWorkerId: 2, messageId: 2 }] }) + '\n');
  return dir;
}

