"""Hand-computed enterprises for the demonstration methodology (see the comments for each sum)."""

# All groups at their maximum: T 30, E 20, O 19, R 17, I 14 -> 100, K = 1, tiên tiến.
STRONG_COFFEE = {
    "employees_total": 100,
    "revenue": 300000,
    "equipment_avg_age": 2,  # < 3 -> 5
    "automation_level": "automatic",  # 5
    "equipment_origin": "g7",  # 4
    "equipment_value": 60000,  # 600/worker ÷ 400 = 1.5 -> 4
    "equipment_new_share": 60,  # 4
    "energy_cost": 9000,  # 3 % ÷ 5 = 0.6 -> 4
    "material_cost": 180000,  # 60 % ÷ 70 = 0.857 -> 4
    "waste_treatment": "full",  # 3
    "output_value": 300000,  # 3000/worker ÷ 2500 = 1.2 -> 5
    "standard_share": 96,  # 4
    "capacity_use": 85,  # 4
    # E4: min(4, 300000 / 60000) = 4
    "staff_university": 25,  # 25 % -> 4
    "staff_technical": 70,  # 70 % -> 4
    "training_cost": 300,  # 3/person -> 3
    "management_system": "several",  # 4
    "digital_tools": "erp",  # 4
    "rnd_spending": 7500,  # 2.5 % -> 5
    "rnd_staff": 6,  # 4
    "rnd_partners": 3,  # 3
    "tech_transfer": True,  # 2
    "rnd_facility": "own",  # 3
    "new_products": 4,  # 4
    "process_improvements": 3,  # 3
    "ip_assets": 3,  # 4
    "innovation_spending": 9000,  # 3 % -> 3
}

# T 3.5, E 6, O 1, R 0, I 0 -> 10.5; K = 0 (R is 0); lạc hậu.
WEAK_WOOD = {
    "employees_total": 20,
    "revenue": 10000,
    "equipment_avg_age": 16,  # 0
    "automation_level": "manual",  # 0.5
    "equipment_origin": "domestic",  # 2
    "equipment_value": 2000,  # 100/worker ÷ 250 = 0.4 -> 0.5
    "equipment_new_share": 5,  # 0.5
    "energy_cost": 1000,  # 10 % ÷ 6 = 1.67 -> 0
    "material_cost": 7000,  # 70 % ÷ 60 = 1.17 -> 0
    "waste_treatment": "none",  # 0
    "output_value": 10000,  # 500/worker ÷ 1200 = 0.42 -> 1
    "standard_share": 40,  # 0.5
    "capacity_use": 30,  # 0.5
    # E4: min(4, 10000 / 2000) = 4
    "staff_university": 0,  # 0 % -> 0.5
    "staff_technical": 2,  # 10 % -> 0.5
    "training_cost": 0,  # 0
    "management_system": "none",
    "digital_tools": "none",
    "rnd_spending": 0,
    "rnd_staff": 0,
    "rnd_partners": 0,
    "tech_transfer": False,
    "rnd_facility": "none",
    "new_products": 0,
    "process_improvements": 0,
    "ip_assets": 0,
    "innovation_spending": 0,
}

# T 20, E 13.86, O 12.5, R 7, I 7 -> 60.36; K = 0.593; trung bình tiên tiến.
MID_MECHANICAL = {
    "employees_total": 50,
    "revenue": 50000,
    "equipment_avg_age": 7,  # 3
    "automation_level": "semi_auto",  # 3.5
    "equipment_origin": "asia",  # 3
    "equipment_value": 17500,  # 350/worker ÷ 350 = 1.0 -> 3
    "equipment_new_share": 30,  # 3
    "energy_cost": 3500,  # 7 % ÷ 7 = 1.0 -> 1.5
    "material_cost": 27000,  # 54 % ÷ 60 = 0.9 -> 3
    "waste_treatment": "partial",  # 1.5
    "output_value": 60000,  # 1200/worker ÷ 1400 = 0.857 -> 3.5
    "standard_share": 85,  # 3
    "capacity_use": 70,  # 3
    # E4: min(4, 50000 / 17500) = 2.857 -> 2.86
    "staff_university": 6,  # 12 % -> 3
    "staff_technical": 25,  # 50 % -> 3
    "training_cost": 50,  # 1/person -> 2
    "management_system": "one",  # 2.5
    "digital_tools": "office",  # 2
    "rnd_spending": 300,  # 0.6 % -> 3
    "rnd_staff": 2,  # 1.5
    "rnd_partners": 1,  # 1
    "tech_transfer": False,  # 0
    "rnd_facility": "shared",  # 1.5
    "new_products": 2,  # 3
    "process_improvements": 1,  # 1
    "ip_assets": 1,  # 2
    "innovation_spending": 500,  # 1 % -> 1
}
