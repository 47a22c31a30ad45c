// The compile-time split of `exec` command lines into argv: POSIX word splitting and quoting,
// and everything a shell would interpret reported instead of passed on.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatCommandLine, splitCommandLine } from "../../compiler/language/command-line.ts";

const split = suite("exec command lines");

const argv = (command: string): readonly string[] => {
  const result = splitCommandLine(command);
  assert.equal(result.problems, [], command);
  return result.argv;
};

const problems = (command: string): string[] => splitCommandLine(command).problems.map((p) => `${p.kind} ${p.text} ${p.meaning}`.trim());

split("blanks separate words; runs of blanks and tabs count once", () => {
  assert.equal(argv("python3 worker.py --queue default"), ["python3", "worker.py", "--queue", "default"]);
  assert.equal(argv("  a \t b\n c  "), ["a", "b", "c"]);
  assert.equal(argv(""), []);
  assert.equal(argv("   "), []);
});

split("single quotes keep everything as it is, shell characters included", () => {
  assert.equal(argv(`sh -c 'a | b && echo "$HOME" > /dev/null'`), ["sh", "-c", `a | b && echo "$HOME" > /dev/null`]);
  assert.equal(argv(`a '\\n'`), ["a", "\\n"]);
});

split("double quotes keep blanks; a backslash escapes only \" \\ $ and a backquote", () => {
  assert.equal(argv(`a "b c" "d \\"e\\"" "f\\\\g" "h\\$i" "j\\k"`), ["a", "b c", 'd "e"', "f\\g", "h$i", "j\\k"]);
});

split("outside quotes a backslash keeps the next character", () => {
  assert.equal(argv(`a\\ b c\\|d \\'e`), ["a b", "c|d", "'e"]);
});

split("quotes join with their neighbours, and an empty pair is an empty word", () => {
  assert.equal(argv(`--name='a b'"c"d '' ""`), ["--name=a bcd", "", ""]);
});

split("a lone $ and characters that only matter at the start of a word are ordinary", () => {
  assert.equal(argv("echo $ a#b a~b price=5$"), ["echo", "$", "a#b", "a~b", "price=5$"]);
  assert.equal(argv("node app.js PORT=80"), ["node", "app.js", "PORT=80"]);
});

split("what a shell would interpret is reported with what it means there", () => {
  assert.equal(problems("a | b"), ["shell-syntax | a pipe"]);
  assert.equal(problems("a || b && c ; d &"), [
    "shell-syntax || an 'or' list",
    "shell-syntax && an 'and' list",
    "shell-syntax ; a command separator",
    "shell-syntax & a background job",
  ]);
  assert.equal(problems("a < in > out >> log"), ["shell-syntax < a redirection", "shell-syntax > a redirection", "shell-syntax >> a redirection"]);
  assert.equal(problems("ls *.py file? (x)"), [
    "shell-syntax * a glob pattern",
    "shell-syntax ? a glob pattern",
    "shell-syntax ( a subshell",
    "shell-syntax ) a subshell",
  ]);
  assert.equal(problems("cd ~/x"), ["shell-syntax ~ home directory expansion"]);
  assert.equal(problems("run # a comment | with a pipe"), ["shell-syntax # a comment | with a pipe a comment"]);
});

split("expansions are reported whole, in double quotes too; single quotes keep them literal", () => {
  assert.equal(problems(`echo $HOME "\${USER}" $(date) \`id\` '$NOT'`), [
    "shell-syntax $HOME variable expansion",
    "shell-syntax ${USER} variable expansion",
    "shell-syntax $(date) command substitution",
    "shell-syntax `id` command substitution",
  ]);
  assert.equal(problems(`echo "\\$HOME"`), []);
});

split("a leading NAME=value is a shell assignment", () => {
  assert.equal(problems("PORT=80 node server.js"), ["assignment PORT=80 a variable assignment"]);
  assert.equal(problems("'PORT=80' node"), []);
});

split("an unclosed quote or a trailing backslash cannot be split; offsets point at them", () => {
  assert.equal(splitCommandLine("node -e 'x").problems, [{ kind: "unclosed-quote", start: 8, end: 9, text: "'", meaning: "" }]);
  assert.equal(problems(`a "b`), ["unclosed-quote \""]);
  assert.equal(problems("a \\"), ["trailing-backslash \\"]);
});

split("formatCommandLine quotes only what needs it, and splits back to the same argv", () => {
  const words = ["node", "a b", "it's", "", "--x=1", "$HOME"];
  const line = formatCommandLine(words);
  assert.is(line, `node 'a b' 'it'\\''s' '' --x=1 '$HOME'`);
  assert.equal(argv(line), words);
});

split.run();
