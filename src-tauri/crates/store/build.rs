// sqlx::migrate! embeds the migrations when the crate compiles: a migration
// added or edited must rebuild it, even when no Rust file changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
