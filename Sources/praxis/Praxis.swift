import ArgumentParser

@main struct Praxis: ParsableCommand { func run() {} }
