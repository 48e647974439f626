import PraxisProtocol

extension InsightsReport {
    /// Answers, accepted answers, comments and thanks as links between members: how many cross a
    /// region or department line, who helps whom between departments and regions, and the members
    /// who bridge departments that do not otherwise talk.
    mutating func knowledgeFlow() -> JSONValue {
        let links = facts.links.filter { inPeriod($0.at) }
        let people = Set(links.flatMap { [$0.helper, $0.helped] }).count
        let byKind = Dictionary(grouping: links, by: \.kind).mapValues { JSONValue.number(Double($0.count)) }
        let crossingRegion = links.filter { $0.helperRegion != $0.helpedRegion }.count
        let crossingDepartment = links.filter { $0.helperDepartment != $0.helpedDepartment }.count
        return [
            "links": .number(Double(links.count)),
            "people": .number(Double(people)),
            "by_kind": .object(byKind),
            "crossing_region": .number(Double(crossingRegion)),
            "crossing_region_share": disclosure.number(
                "knowledge_flow.crossing_region_share", share(crossingRegion, of: links.count), group: people),
            "crossing_department": .number(Double(crossingDepartment)),
            "crossing_department_share": disclosure.number(
                "knowledge_flow.crossing_department_share", share(crossingDepartment, of: links.count), group: people),
            "by_department": matrix(links, "department") { ($0.helperDepartment, $0.helpedDepartment) },
            "by_region": matrix(links, "region") { ($0.helperRegion, $0.helpedRegion) },
            "bridges": bridges(links),
        ]
    }

    /// Helper group → helped group link counts; a cell involving fewer people than the threshold is suppressed.
    private mutating func matrix(
        _ links: [InsightsFacts.Link], _ name: String, _ groups: (InsightsFacts.Link) -> (String, String)
    ) -> JSONValue {
        var cells: [[String]: (links: Int, people: Set<String>)] = [:]
        for link in links {
            let (helper, helped) = groups(link)
            cells[[helper, helped], default: (0, [])].links += 1
            cells[[helper, helped]]?.people.formUnion([link.helper, link.helped])
        }
        return .array(
            cells.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { key in
                let cell = cells[key] ?? (0, [])
                return [
                    "from": .string(key[0]), "to": .string(key[1]),
                    "links": disclosure.count(
                        "knowledge_flow.by_\(name).\(key[0])→\(key[1])", cell.links, group: cell.people.count),
                ]
            })
    }

    /// Members linked with people of two departments (other than their own) between which no link
    /// runs directly: they carry knowledge between groups that do not talk. Member-level: shown to
    /// the member and to the community's owners.
    private func bridges(_ links: [InsightsFacts.Link]) -> JSONValue {
        var talking = Set<[String]>()
        for link in links where link.helperDepartment != link.helpedDepartment {
            talking.insert([link.helperDepartment, link.helpedDepartment].sorted())
        }
        var reached: [String: Set<String>] = [:]
        for link in links {
            reached[link.helper, default: []].insert(link.helpedDepartment)
            reached[link.helped, default: []].insert(link.helperDepartment)
        }
        var found: [(member: String, pairs: [[String]])] = []
        for (member, departments) in reached {
            let own = facts.people[member]?.department
            let others = departments.subtracting(own.map { [$0] } ?? []).sorted()
            var pairs: [[String]] = []
            for (index, first) in others.enumerated() {
                for second in others[(index + 1)...] where !talking.contains([first, second]) {
                    pairs.append([first, second])
                }
            }
            if !pairs.isEmpty { found.append((member, pairs)) }
        }
        found.sort { ($0.pairs.count, $1.member) > ($1.pairs.count, $0.member) }
        let shown = found.filter { mayShow($0.member) }
        return [
            "members": .number(Double(found.count)),
            "list": .array(
                shown.map { bridge in
                    [
                        "member": .string(bridge.member), "display_name": name(bridge.member),
                        "department": facts.people[bridge.member].map { .string($0.department) } ?? .null,
                        "connects": .array(bridge.pairs.map { .array($0.map(JSONValue.string)) }),
                    ]
                }),
        ]
    }
}
