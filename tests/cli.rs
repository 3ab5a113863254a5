//! The `newswire` command, tested from outside: classify, train and eval,
//! their output formats, and their errors.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const ARTICLE: &str = "datasets/articles/kyiv-drone-strike.txt";

fn newswire() -> Command {
    Command::cargo_bin("newswire").expect("the binary is built")
}

/// Runs `command`, checks that it succeeded (showing its stderr if not) and
/// parses its standard output as JSON.
fn json_of(command: &mut Command) -> serde_json::Value {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `newswire train` with `args`, reading `data` and writing `model`.
fn train_command(args: &[&str], data: &Path, model: &Path) -> Command {
    let mut command = newswire();
    command
        .arg("train")
        .args(args)
        .arg("--data")
        .arg(data)
        .arg("--out")
        .arg(model);
    command
}

/// A small labelled TSV written into `dir`.
fn small_tsv(dir: &Path) -> PathBuf {
    let path = dir.join("small.tsv");
    let rows = [
        ("attack", "Drones struck the port of Odesa overnight."),
        ("attack", "Artillery shelled the town for a third day."),
        (
            "attack,casualty",
            "The missile strike killed four civilians.",
        ),
        (
            "attack,casualty",
            "Gunmen opened fire on a bus, killing two.",
        ),
        (
            "diplomacy",
            "The foreign ministers met in Geneva for talks.",
        ),
        (
            "diplomacy",
            "The envoy held talks with the president in Ankara.",
        ),
        ("sanctions", "The EU froze the assets of three banks."),
        (
            "sanctions",
            "Washington imposed sanctions on the oil company.",
        ),
        ("other", "Rain is expected across the region on Friday."),
        ("other", "The museum reopened after two years of repairs."),
        ("other", "The central bank left interest rates unchanged."),
        ("casualty", "Two soldiers were wounded and one is missing."),
    ];
    let mut text = String::from("labels\ttext\n");
    for (labels, sentence) in rows {
        text.push_str(&format!("{labels}\t{sentence}\n"));
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn classify_prints_a_table_with_a_summary() {
    newswire()
        .args(["classify", ARTICLE])
        .assert()
        .success()
        .stdout(predicate::str::contains(ARTICLE))
        .stdout(predicate::str::contains("sentences:"))
        .stdout(predicate::str::contains("attack"));
}

#[test]
fn table_fits_80_columns() {
    let out = newswire().args(["classify", ARTICLE]).output().unwrap();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        assert!(
            line.chars().count() <= 80,
            "{} chars: {line}",
            line.chars().count()
        );
    }
}

#[test]
fn jsonl_has_exactly_the_documented_keys_and_byte_offsets() {
    let out = newswire()
        .args(["classify", "--format", "jsonl", ARTICLE])
        .output()
        .unwrap();
    assert!(out.status.success());
    let file = std::fs::read(ARTICLE).unwrap();
    let mut n = 0;
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let obj = v.as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "end",
                "file",
                "labels",
                "scores",
                "sentence_index",
                "start",
                "text"
            ]
        );
        let (start, end) = (
            obj["start"].as_u64().unwrap() as usize,
            obj["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            std::str::from_utf8(&file[start..end]).unwrap(),
            obj["text"].as_str().unwrap()
        );
        assert_eq!(obj["sentence_index"].as_u64().unwrap() as usize, n);
        let labels = obj["labels"].as_array().unwrap();
        assert!(!labels.is_empty());
        assert_eq!(obj["scores"].as_object().unwrap().len(), 4);
        n += 1;
    }
    assert!(n > 10);
}

#[test]
fn json_and_tsv_formats() {
    let v = json_of(newswire().args(["classify", "--format", "json", ARTICLE]));
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert!(v[0]["counts"].is_object());
    newswire()
        .args(["classify", "--format", "tsv", ARTICLE])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "file\tsentence_index\tstart\tend\tlabels\tp_attack",
        ));
}

#[test]
fn reads_standard_input_and_directories() {
    newswire()
        .args(["classify", "--format", "jsonl", "-"])
        .write_stdin("Rebels shelled the airport, killing three. Talks resumed in Doha.")
        .assert()
        .success()
        .stdout(predicate::str::contains("\"file\":\"-\""))
        .stdout(predicate::str::contains("casualty"));
    let v = json_of(newswire().args(["classify", "--format", "json", "datasets/articles"]));
    assert!(v.as_array().unwrap().len() >= 5);
}

#[test]
fn piped_input_needs_no_argument() {
    newswire()
        .arg("classify")
        .write_stdin("Talks resumed in Geneva on Monday.")
        .assert()
        .success()
        .stdout(predicate::str::contains("diplomacy"));
}

#[test]
fn explain_and_threshold() {
    let v = json_of(
        newswire()
            .args(["classify", "--format", "jsonl", "--explain", "2", "-"])
            .write_stdin("Russian drones struck Kyiv overnight."),
    );
    assert!(v["explanation"]["attack"].as_array().unwrap().len() <= 2);
    assert!(!v["explanation"]["attack"].as_array().unwrap().is_empty());
    let v = json_of(
        newswire()
            .args(["classify", "--format", "jsonl", "--threshold", "1.0", "-"])
            .write_stdin("Russian drones struck Kyiv overnight."),
    );
    assert_eq!(v["labels"], serde_json::json!(["other"]));
}

#[test]
fn classify_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = newswire()
        .args(["classify", "no/such/file.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/file.txt"));
    let stderr = String::from_utf8_lossy(&missing.get_output().stderr).into_owned();
    assert_eq!(
        stderr.matches("os error").count(),
        1,
        "the system's message once: {stderr}"
    );
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"Fine line.\nBroken \xff byte.").unwrap();
    newswire()
        .arg("classify")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.txt: line 2: invalid UTF-8 at byte offset 18",
        ));
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "  \n\n").unwrap();
    newswire()
        .arg("classify")
        .arg(&empty)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no sentences"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let big = "Drones struck the city again. ".repeat(20_000);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newswire"))
        .args(["classify", "--format", "jsonl", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::{Read, Write};
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(big.as_bytes()).unwrap();
        drop(stdin);
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 100];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn train_then_eval_then_classify_with_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let data = small_tsv(dir.path());
    let model = dir.path().join("small.nwm");
    train_command(&["--folds", "3", "--min-df", "1"], &data, &model)
        .assert()
        .success()
        .stdout(predicate::str::contains("trained a multi-label model"))
        .stdout(predicate::str::contains("cross-validated"));
    let v = json_of(
        newswire()
            .args(["eval", "--format", "json", "--data"])
            .arg(&data)
            .arg("--model")
            .arg(&model),
    );
    for key in ["macro_f1", "micro_f1", "accuracy", "per_label"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    for field in ["precision", "recall", "f1", "support"] {
        assert!(v["per_label"]["attack"].get(field).is_some());
    }
    newswire()
        .args(["classify", "--model"])
        .arg(&model)
        .arg("-")
        .write_stdin("Drones struck the port again.")
        .assert()
        .success()
        .stdout(predicate::str::contains("attack"));
}

#[test]
fn repeated_cross_validation_is_reported_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let data = small_tsv(dir.path());
    let model = dir.path().join("small.nwm");
    let train = |repeats: &str| {
        let args = ["--folds", "3", "--min-df", "1", "--cv-repeats", repeats];
        train_command(&args, &data, &model)
    };
    train("2")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "3 folds; thresholds tuned on 2 runs, scores of the first",
        ))
        .stdout(predicate::str::is_match(r"examples +12\n").unwrap());
    train("0")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cv_repeats"));
}

#[test]
fn eval_cross_validates_the_default_settings() {
    let dir = tempfile::tempdir().unwrap();
    let data = small_tsv(dir.path());
    let v = json_of(
        newswire()
            .args(["eval", "--cv", "3", "--format", "json", "--data"])
            .arg(&data),
    );
    assert_eq!(v["examples"], 12);
    assert_eq!(v["per_label"].as_object().unwrap().len(), 4);
    newswire()
        .args(["eval", "--cv", "1", "--data"])
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least 2 folds"));
}

#[test]
fn train_reads_csv_and_jsonl_with_other_column_names() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("d.csv");
    std::fs::write(
        &csv,
        "id,sentence,kind\n1,\"Shells hit the market, witnesses said.\",attack\n2,Talks resumed.,diplomacy\n3,\"Rain, then sun.\",other\n4,Tanks shelled the town.,attack\n",
    )
    .unwrap();
    let model = dir.path().join("m.nwm");
    let csv_args = [
        "--folds",
        "0",
        "--min-df",
        "1",
        "--text-col",
        "sentence",
        "--label-col",
        "kind",
    ];
    train_command(&csv_args, &csv, &model)
        .assert()
        .success()
        .stdout(predicate::str::contains("multi-class"));
    let jsonl = dir.path().join("d.jsonl");
    std::fs::write(
        &jsonl,
        "{\"text\": \"Shells hit the market.\", \"labels\": [\"attack\", \"casualty\"]}\n{\"text\": \"Talks resumed.\", \"labels\": [\"diplomacy\"]}\n{\"text\": \"Rain.\", \"labels\": [\"other\"]}\n",
    )
    .unwrap();
    train_command(&["--folds", "0", "--min-df", "1"], &jsonl, &model)
        .assert()
        .success()
        .stdout(predicate::str::contains("multi-label"));
}

#[test]
fn train_errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.tsv");
    std::fs::write(&bad, "labels\ttext\nattack\tok\nattack only one field\n").unwrap();
    let out = Path::new("x.nwm");
    train_command(&[], &bad, out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.tsv: line 3: expected 2 tab-separated fields",
        ));
    let mixed = dir.path().join("mixed.tsv");
    std::fs::write(
        &mixed,
        "labels\ttext\nattack,other\ta\nattack\tb\nother\tc\n",
    )
    .unwrap();
    train_command(&[], &mixed, out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "mixed.tsv: line 2: `other` cannot be combined",
        ));
    train_command(&["--alpha=-1"], &mixed, out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("alpha"));
    train_command(&["--concentration=9"], &mixed, out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("concentration_power"));
}

#[test]
fn concentration_changes_the_model_and_zero_turns_it_off() {
    let dir = tempfile::tempdir().unwrap();
    let data = small_tsv(dir.path());
    let train = |power: &str| {
        let model = dir.path().join(format!("c{power}.nwm"));
        let args = ["--folds", "0", "--min-df", "1", "--concentration", power];
        train_command(&args, &data, &model).assert().success();
        std::fs::read(model).unwrap()
    };
    let (off, default, strong) = (train("0"), train("1"), train("2"));
    assert_ne!(off, default);
    assert_ne!(default, strong);
    // The default is power 1.
    let model = dir.path().join("d.nwm");
    train_command(&["--folds", "0", "--min-df", "1"], &data, &model)
        .assert()
        .success();
    assert_eq!(std::fs::read(model).unwrap(), default);
}

#[test]
fn eval_rejects_unknown_labels_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.tsv");
    std::fs::write(
        &data,
        "labels\ttext\nattack\tDrones struck.\nprotest\tCrowds marched.\n",
    )
    .unwrap();
    newswire()
        .args(["eval", "--data"])
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "d.tsv: line 3: label `protest` is not one of the model's labels",
        ));
}

#[test]
fn model_files_of_another_version_or_truncated_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let data = small_tsv(dir.path());
    let model = dir.path().join("m.nwm");
    train_command(&["--folds", "0", "--min-df", "1"], &data, &model)
        .assert()
        .success();
    let bytes = std::fs::read(&model).unwrap();
    let mut other_version = bytes.clone();
    other_version[8] = 9;
    let v9 = dir.path().join("v9.nwm");
    std::fs::write(&v9, other_version).unwrap();
    newswire()
        .args(["classify", "--model"])
        .arg(&v9)
        .arg(ARTICLE)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("model format version 9"));
    let cut = dir.path().join("cut.nwm");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    newswire()
        .args(["classify", "--model"])
        .arg(&cut)
        .arg(ARTICLE)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("truncated"));
    newswire()
        .args(["classify", "--model", "Cargo.toml", ARTICLE])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a newswire model file"));
}

#[test]
fn every_command_has_help_with_examples() {
    for command in ["classify", "train", "eval"] {
        newswire()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
}

#[test]
fn eval_lists_mistakes_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("m.tsv");
    // The second row is labelled wrongly on purpose.
    std::fs::write(
        &data,
        "labels\ttext\n\
         attack,casualty\tRussian missiles struck Kyiv overnight, killing three people.\n\
         other\tRussian drones hit a power plant in Kharkiv on Tuesday.\n",
    )
    .unwrap();
    newswire()
        .args(["eval", "--mistakes", "--data"])
        .arg(&data)
        .assert()
        .success()
        .stdout(predicate::str::contains("mistakes (1):"))
        .stdout(predicate::str::contains(
            "m.tsv:3  expected other  predicted attack",
        ))
        .stdout(predicate::str::contains(
            "    Russian drones hit a power plant",
        ));
    let v = json_of(
        newswire()
            .args(["eval", "--mistakes", "--format", "json", "--data"])
            .arg(&data),
    );
    let mistakes = v["mistakes"].as_array().unwrap();
    assert_eq!(mistakes.len(), 1);
    assert_eq!(mistakes[0]["line"], 3);
    assert_eq!(mistakes[0]["expected"], serde_json::json!(["other"]));
    assert_eq!(mistakes[0]["scores"].as_object().unwrap().len(), 4);
    // Without the flag, the JSON report has no such key.
    let v = json_of(
        newswire()
            .args(["eval", "--format", "json", "--data"])
            .arg(&data),
    );
    assert!(v.get("mistakes").is_none());
}

#[test]
fn eval_cv_mistakes_point_at_a_mislabelled_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("planted.tsv");
    let attack = [
        "Artillery shelled the town overnight.",
        "Drones struck the port before dawn.",
        "Artillery shelled the outskirts of the city again.",
        "Rockets struck a fuel depot near the border.",
        "Drones struck a power station in the east.",
        "Artillery shelled villages along the front line.",
        "Missiles struck the airport on Sunday.",
        "Tanks shelled the bridge as troops advanced.",
        "Drones struck the refinery for a second night.",
        "Artillery shelled the market in the morning.",
    ];
    let diplomacy = [
        "The foreign ministers held talks in Geneva.",
        "Envoys met for a second round of talks.",
        "The two presidents held talks by phone.",
        "The ministers agreed to resume talks next week.",
        "Mediators hosted talks between the two delegations.",
        "The envoy held talks with officials in Ankara.",
        "Diplomats said the talks had made progress.",
        "The leaders met for talks on the ceasefire.",
        "Negotiators ended the talks without a deal.",
        "The prime minister held talks with his counterpart.",
    ];
    let other = [
        "Rain is expected across the region on Friday.",
        "The museum reopened after two years of repairs.",
        "The central bank left interest rates unchanged.",
        "The festival drew record crowds this summer.",
        "Train services resumed after the strike by drivers.",
        "The company reported higher profits for the quarter.",
        "Schools will close early for the holidays.",
        "The river rose after days of heavy rain.",
        "The team won the cup for the third time.",
        "Fuel prices fell for a second month.",
    ];
    let mut tsv = String::from("labels\ttext\n");
    for i in 0..10 {
        tsv += &format!("attack\t{}\n", attack[i]);
        tsv += &format!("diplomacy\t{}\n", diplomacy[i]);
        tsv += &format!("other\t{}\n", other[i]);
    }
    // Line 32: an attack labelled as diplomacy.
    tsv += "diplomacy\tArtillery shelled the town and drones struck the port.\n";
    std::fs::write(&path, tsv).unwrap();
    let v = json_of(
        newswire()
            .args(["eval", "--cv", "5", "--mistakes", "--format", "json"])
            .arg("--data")
            .arg(&path),
    );
    let mistakes = v["mistakes"].as_array().unwrap();
    let planted = mistakes
        .iter()
        .find(|m| m["line"] == 32)
        .expect("the mislabelled row is listed");
    assert_eq!(planted["expected"], serde_json::json!(["diplomacy"]));
    assert_eq!(planted["predicted"], serde_json::json!(["attack"]));
    assert!(mistakes.len() < 10, "{} mistakes", mistakes.len());
    newswire()
        .args(["eval", "--cv", "5", "--mistakes", "--data"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "planted.tsv:32  expected diplomacy",
        ));
}
